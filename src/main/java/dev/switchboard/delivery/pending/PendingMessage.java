package dev.switchboard.delivery.pending;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A message still waiting for its Homey, exactly as it was received: enough to build the socket's
 * {@code message} frame again (DESIGN.md, "Homey endpoint").
 *
 * @param headers     as recorded (unredacted: the Homey gets what the sender sent)
 * @param rawQuery    the query string without {@code ?}, or null
 * @param contentType the Content-Type as received, or null
 * @param body        the exact bytes received (empty when there was none)
 */
public record PendingMessage(String deliveryId, String webhookId, Instant receivedAt, String method,
        ObjectNode headers, String rawQuery, String contentType, byte[] body) {
}
