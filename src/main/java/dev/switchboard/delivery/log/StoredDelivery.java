package dev.switchboard.delivery.log;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.routing.RoutedBy;

/**
 * A delivery as the log holds it: the request exactly as received (headers unredacted: whoever shows it redacts)
 * and its targets.
 *
 * @param rawQuery   the query string without {@code ?}, or null
 * @param body       the exact bytes received
 * @param ruleDetail what the rule found (see {@code RouteDecision}), or null
 * @param targets    at most {@link DeliveryLogConfig#targetsShown()} targets, by Homey ID; {@code matched} says
 *                   how many there are
 */
public record StoredDelivery(String id, String webhookId, Instant receivedAt, String method, ObjectNode headers,
        String rawQuery, String contentType, byte[] body, RoutedBy routedBy, JsonNode ruleDetail, int matched,
        String replayOf, List<DeliveryTarget> targets) {

    public boolean targetsTruncated() {
        return targets.size() < matched;
    }
}
