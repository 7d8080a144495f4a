package dev.switchboard.homey;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.webhook.Credentials;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The Homey endpoint (DESIGN.md, "Homey endpoint"): {@code hello} first, then {@code subscribe},
 * {@code unsubscribe} and {@code ack}; messages flow the other way through {@link HomeySessions}.
 */
@WebSocket(path = "/homey/v1/socket")
public class HomeySocket {

    private static final Uni<Void> DONE = Uni.createFrom().voidItem();

    /** Authenticated Homey of each open connection, by connection ID. */
    private final Map<String, String> homeyOf = new ConcurrentHashMap<>();

    @Inject
    HomeyService homeys;
    @Inject
    HomeySessions sessions;
    @Inject
    HomeyConfig config;
    @Inject
    ObjectMapper mapper;
    @Inject
    HomeyFrames frames;
    @Inject
    Vertx vertx;

    @OnOpen
    void open(WebSocketConnection connection) {
        vertx.setTimer(config.helloTimeout().toMillis(), id -> {
            if (connection.isOpen() && !homeyOf.containsKey(connection.id())) {
                HomeyClose.NO_HELLO.close(connection, "Expected hello within " + config.helloTimeout().toSeconds() + " s");
            }
        });
    }

    /**
     * Runs on the event loop. Acks, one per message and so the bulk of the traffic, are handled right here; the
     * other frames read or write the database and run on a worker. Frames of one connection are still handled one
     * at a time, in order: the next one waits until the returned Uni completes.
     */
    @OnTextMessage
    Uni<Void> onFrame(String text, WebSocketConnection connection) {
        JsonNode frame;
        try {
            frame = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            if (homeyOf.containsKey(connection.id())) {
                reply(connection, frames.error(null, "invalid_frame", "Frames are JSON objects with a type"));
            } else {
                HomeyClose.BAD_FRAME.close(connection);
            }
            return DONE;
        }
        String type = frame.path("type").asText("");
        String homeyId = homeyOf.get(connection.id());
        if (homeyId != null) {
            sessions.heardFrom(homeyId, connection);
            if (type.equals("ack")) {
                ack(homeyId, frame);
                return DONE;
            }
        }
        return Uni.createFrom().<Void> item(() -> {
            handle(connection, homeyId, type, frame);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private void handle(WebSocketConnection connection, String homeyId, String type, JsonNode frame) {
        if (homeyId == null) {
            hello(connection, type, frame);
            return;
        }
        switch (type) {
            case "subscribe" -> subscribe(connection, homeyId, frame);
            case "unsubscribe" -> unsubscribe(connection, homeyId, frame);
            case "hello" -> reply(connection, frames.error(null, "already_authenticated", "hello was already accepted"));
            default -> reply(connection, frames.error(null, "unknown_type", "Unknown frame type '" + type + "'"));
        }
    }

    @OnPongMessage
    void pong(Buffer data, WebSocketConnection connection) {
        Optional.ofNullable(homeyOf.get(connection.id())).ifPresent(id -> sessions.heardFrom(id, connection));
    }

    @OnClose
    void closed(WebSocketConnection connection) {
        String homeyId = homeyOf.remove(connection.id());
        if (homeyId != null) {
            sessions.detach(homeyId, connection);
            Log.debugf("Socket of homeyId=%s closed", homeyId);
        }
    }

    private void hello(WebSocketConnection connection, String type, JsonNode frame) {
        String homeyId = frame.path("homeyId").asText(null);
        if (!"hello".equals(type) || !homeys.authenticate(homeyId, frame.path("homeyKey").asText(null))) {
            Log.infof("Refused socket: %s", "hello".equals(type) ? "bad credentials" : "first frame was not hello");
            HomeyClose.UNAUTHORIZED.close(connection);
            return;
        }
        homeyOf.put(connection.id(), homeyId);
        reply(connection, frames.welcome(homeyId));
        sessions.attach(homeyId, connection);
    }

    private void subscribe(WebSocketConnection connection, String homeyId, JsonNode frame) {
        String webhookId = frame.path("webhookId").asText("");
        if (!Credentials.isWellFormedId(webhookId)) {
            reply(connection, frames.error(webhookId, "webhook_not_found", "No webhook with this ID"));
            return;
        }
        var failure = homeys.subscribe(homeyId, webhookId, frame.path("secret").asText(""), frame.get("data"));
        reply(connection, failure
                .map(f -> frames.error(webhookId, f.error().code, f.message()))
                .orElseGet(() -> frames.subscribed(webhookId)));
    }

    private void unsubscribe(WebSocketConnection connection, String homeyId, JsonNode frame) {
        String webhookId = frame.path("webhookId").asText("");
        if (Credentials.isWellFormedId(webhookId)) {
            homeys.unsubscribe(homeyId, webhookId);
        }
        reply(connection, frames.unsubscribed(webhookId));
    }

    private void ack(String homeyId, JsonNode frame) {
        String deliveryId = frame.path("id").asText("");
        if (DeliveryIds.isWellFormed(deliveryId)) {
            sessions.acknowledged(homeyId, deliveryId);
        }
    }

    private static void reply(WebSocketConnection connection, String frame) {
        connection.sendText(frame).subscribe().with(ok -> { }, failure -> { });
    }
}
