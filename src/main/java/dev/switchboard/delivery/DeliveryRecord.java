package dev.switchboard.delivery;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.routing.RoutedBy;

/**
 * One accepted sender request and the Homeys it must reach: exactly what is committed before the sender gets 200.
 * The request is kept as received (headers unredacted, raw body), so a Homey that is offline now gets the same
 * message later; the log redacts credentials when it shows it.
 *
 * @param id           see {@link DeliveryIds}; {@code receivedAt} equals {@code DeliveryIds.timeOf(id)}
 * @param headers      the forwarded headers: names lower-cased, repeated values joined, hop-by-hop dropped
 * @param rawQuery     the query string as received (without {@code ?}), or null
 * @param contentType  the Content-Type header as received, or null
 * @param body         the exact body bytes (empty array when there was none)
 * @param ruleDetail   why the rule matched, for the log (e.g. the key-path value found), or null
 * @param homeyIds     the matched Homeys; one target each
 * @param deferredHomeyIds those of {@code homeyIds} whose target row is written later, with its outcome
 *                     (deferred by the dispatcher); the others get a pending row with the delivery
 * @param replayOf     the delivery this one replays, or null
 */
public record DeliveryRecord(
        String id,
        String webhookId,
        Instant receivedAt,
        String method,
        ObjectNode headers,
        String rawQuery,
        String contentType,
        byte[] body,
        RoutedBy routedBy,
        JsonNode ruleDetail,
        List<String> homeyIds,
        List<String> deferredHomeyIds,
        String replayOf) {

    /** A record whose targets all get a pending row with it. */
    public DeliveryRecord(String id, String webhookId, Instant receivedAt, String method, ObjectNode headers,
            String rawQuery, String contentType, byte[] body, RoutedBy routedBy, JsonNode ruleDetail,
            List<String> homeyIds, String replayOf) {
        this(id, webhookId, receivedAt, method, headers, rawQuery, contentType, body, routedBy, ruleDetail, homeyIds,
                List.of(), replayOf);
    }
}
