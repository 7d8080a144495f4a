package dev.switchboard.homey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.delivery.HomeyMessage;
import dev.switchboard.delivery.pending.PendingMessage;
import dev.switchboard.payload.HomeyMessageFrame;
import dev.switchboard.payload.InboundRequest;
import dev.switchboard.payload.PayloadParser;
import dev.switchboard.payload.WebhookPayload;

/**
 * Every frame the server sends a Homey (DESIGN.md, "Homey endpoint"). The {@code message} frame is UTF-8 bytes,
 * {@link HomeyMessageFrame}'s, the one format that the log's JSON fixture shares: written once, sent as they are to
 * every Homey (no String in between); the replies are text.
 */
@ApplicationScoped
class HomeyFrames {

    private final PayloadParser parser;
    private final ObjectMapper mapper;

    HomeyFrames(PayloadParser parser, ObjectMapper mapper) {
        this.parser = parser;
        this.mapper = mapper;
    }

    /** A message just committed: the request as parsed when it arrived, written once for every Homey it goes to. */
    byte[] message(HomeyMessage message) {
        return message.frame(mapper);
    }

    /** A message read back from the database, from the request as received (same id, body and rawBody). */
    byte[] message(PendingMessage message) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        message.headers().fields().forEachRemaining(e -> headers.add(Map.entry(e.getKey(), e.getValue().asText())));
        WebhookPayload payload = parser.parse(
                new InboundRequest(message.method(), headers, message.rawQuery(), message.body()));
        return HomeyMessageFrame.write(mapper, message.deliveryId(), message.webhookId(), message.receivedAt(),
                payload);
    }

    String welcome(String homeyId) {
        return mapper.createObjectNode().put("type", "welcome").put("homeyId", homeyId).toString();
    }

    String subscribed(String webhookId) {
        return mapper.createObjectNode().put("type", "subscribed").put("webhookId", webhookId).toString();
    }

    String unsubscribed(String webhookId) {
        return mapper.createObjectNode().put("type", "unsubscribed").put("webhookId", webhookId).toString();
    }

    /** {@code webhookId} null for an error that concerns no webhook. */
    String error(String webhookId, String code, String message) {
        ObjectNode error = mapper.createObjectNode().put("type", "error");
        if (webhookId != null) {
            error.put("webhookId", webhookId);
        }
        return error.put("code", code).put("message", message).toString();
    }
}
