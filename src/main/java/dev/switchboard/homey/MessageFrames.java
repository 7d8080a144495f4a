package dev.switchboard.homey;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.delivery.PendingMessage;
import dev.switchboard.ingest.payload.HomeyMessageFrame;
import dev.switchboard.ingest.payload.InboundRequest;
import dev.switchboard.ingest.payload.PayloadParser;

/** Rebuilds the {@code message} frame of a stored delivery from the request as received (same id, body and rawBody). */
@ApplicationScoped
class MessageFrames {

    private final PayloadParser parser;
    private final ObjectMapper mapper;

    MessageFrames(PayloadParser parser, ObjectMapper mapper) {
        this.parser = parser;
        this.mapper = mapper;
    }

    String of(PendingMessage message) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        message.headers().fields().forEachRemaining(e -> headers.add(Map.entry(e.getKey(), e.getValue().asText())));
        var payload = parser.parse(new InboundRequest(message.method(), headers, message.rawQuery(), message.body()));
        byte[] frame = HomeyMessageFrame.write(mapper, message.deliveryId(), message.webhookId(), message.receivedAt(),
                payload);
        return new String(frame, StandardCharsets.UTF_8);
    }
}
