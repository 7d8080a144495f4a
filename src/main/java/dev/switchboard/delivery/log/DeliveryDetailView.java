package dev.switchboard.delivery.log;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Everything the log holds of one delivery.
 *
 * @param headers         as forwarded to Homeys, with credentials (authorization, cookie, tokens, …) redacted
 * @param query           the decoded query parameters
 * @param rawQuery        the query string as received, or null
 * @param bodyKind        how the body was read: json, form, text, malformed_json, binary, empty
 * @param body            the body as a Homey receives it: parsed JSON, a form object, or text; {} for binary
 * @param rawBody         the exact body bytes, base64; null when there was no body
 * @param size            body bytes
 * @param ruleDetail      what the rule recorded (key-path values found, the ?homey= asked for, legacy outcomes)
 * @param ruleExplanation the same, in words
 * @param targets         one row per matched Homey (the first ones, when {@code targetsTruncated})
 */
public record DeliveryDetailView(String id, String webhookId, Instant receivedAt, String method, ObjectNode headers,
        ObjectNode query, String rawQuery, String contentType, String bodyKind, JsonNode body, String rawBody,
        long size, String routedBy, JsonNode ruleDetail, String ruleExplanation, int matched,
        List<TargetView> targets, boolean targetsTruncated, String replayOf) {

    /** What happened for one Homey: its state, how often it was sent, and when. */
    public record TargetView(String homeyId, String state, int attempts, Instant firstSentAt, Instant lastSentAt,
            Instant ackedAt) {
    }
}
