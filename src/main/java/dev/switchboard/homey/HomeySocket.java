package dev.switchboard.homey;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.ratelimit.TokenBucket;
import dev.switchboard.webhook.Credentials;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
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
    private static final String ACK_PREFIX = "{\"type\":\"ack\",\"id\":\"";
    private static final String ACK_SUFFIX = "\"}";

    /** Authenticated Homey of each open connection, by connection ID. */
    private final Map<String, String> homeyOf = new ConcurrentHashMap<>();
    /** Subscribe and unsubscribe frames each authenticated connection may still send (DESIGN.md: rate-limited). */
    private final Map<String, TokenBucket> subscribeTokens = new ConcurrentHashMap<>();
    private ObjectReader strictReader;

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

    /** One JSON value per frame: {@code {"type":"hello"} trailing} does not parse. */
    private ObjectReader reader() {
        if (strictReader == null) {
            strictReader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
        return strictReader;
    }

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
        if (tooBig(text)) {
            // websockets-next enforces the same limit (max-message-size); this holds whatever it lets through.
            HomeyClose.TOO_BIG.close(connection, "Messages are at most " + config.maxInboundFrameBytes() + " bytes");
            return DONE;
        }
        String homeyId = homeyOf.get(connection.id());
        String ackedId = homeyId == null ? null : compactAckId(text);
        if (ackedId != null) {
            sessions.acknowledged(homeyId, ackedId, connection);
            return DONE;
        }
        JsonNode frame = parse(text);
        if (frame == null) {
            if (homeyId != null) {
                reply(connection, frames.error(null, "invalid_frame", "Frames are JSON objects with a type"));
            } else {
                // Before hello, on the event loop: a client that does not speak the protocol costs no worker.
                HomeyClose.BAD_FRAME.close(connection);
            }
            return DONE;
        }
        String type = frame.get("type").asText();
        if (homeyId != null) {
            if (type.equals("ack")) {
                ack(homeyId, frame, connection);
                return DONE;
            }
            sessions.heardFrom(homeyId, connection);
            if ((type.equals("subscribe") || type.equals("unsubscribe")) && !mayChangeRegistrations(connection)) {
                reply(connection, frames.error(frame.path("webhookId").asText(null), "rate_limited",
                        "Too many subscribe and unsubscribe frames on this socket; try again later"));
                return DONE;
            }
        }
        return Uni.createFrom().<Void> item(() -> {
            handle(connection, homeyId, type, frame);
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * The delivery ID of an ack written as the clients write it, {@code {"type":"ack","id":"<24 hex digits>"}}, read
     * without building a JSON tree: one such frame arrives per message, the bulk of what Homeys send. Null for any
     * other text, which then takes the general path (where an ack with spaces or more fields means the same).
     */
    static String compactAckId(String text) {
        int idStart = ACK_PREFIX.length();
        if (text.length() != idStart + DeliveryIds.LENGTH + ACK_SUFFIX.length() || !text.startsWith(ACK_PREFIX)
                || !text.endsWith(ACK_SUFFIX)) {
            return null;
        }
        String id = text.substring(idStart, idStart + DeliveryIds.LENGTH);
        return DeliveryIds.isWellFormed(id) ? id : null;
    }

    /** Null unless the text is one JSON object with a string {@code type}. */
    private JsonNode parse(String text) {
        try {
            JsonNode frame = reader().readTree(text);
            return frame != null && frame.isObject() && frame.path("type").isTextual() ? frame : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private boolean tooBig(String text) {
        int limit = config.maxInboundFrameBytes();
        if (text.length() > limit) {
            return true;
        }
        // UTF-8 takes at most 3 bytes per UTF-16 unit; count only when that could exceed the limit.
        return (long) text.length() * 3 > limit && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > limit;
    }

    private boolean mayChangeRegistrations(WebSocketConnection connection) {
        TokenBucket tokens = subscribeTokens.get(connection.id());
        return tokens == null || tokens.tryTake(System.nanoTime()) == 0;
    }

    private void handle(WebSocketConnection connection, String homeyId, String type, JsonNode frame) {
        if (homeyId == null) {
            hello(connection, type, frame);
            return;
        }
        switch (type) {
            case "subscribe" -> changeRegistration(connection, frame, () -> subscribe(connection, homeyId, frame));
            case "unsubscribe" -> changeRegistration(connection, frame, () -> unsubscribe(connection, homeyId, frame));
            case "hello" -> reply(connection, frames.error(null, "already_authenticated", "hello was already accepted"));
            default -> reply(connection, frames.error(null, "unknown_type", "Unknown frame type '" + type + "'"));
        }
    }

    /**
     * Vert.x refuses a message over max-message-size (however fragmented) with an IllegalStateException while
     * aggregating it; websockets-next would close with 1011 and log an error. It is the client's doing: 1009.
     */
    @OnError
    void failed(IllegalStateException e, WebSocketConnection connection) {
        if (String.valueOf(e.getMessage()).contains("max message size")) {
            Log.debugf("Closing socket %s: %s", connection.id(), e.getMessage());
            HomeyClose.TOO_BIG.close(connection, "Messages are at most " + config.maxInboundFrameBytes() + " bytes");
        } else {
            Log.errorf(e, "Unexpected failure on socket %s", connection.id());
            connection.close(new io.quarkus.websockets.next.CloseReason(1011, "Internal error"))
                    .subscribe().with(ok -> { }, failure -> { });
        }
    }

    @OnPongMessage
    void pong(Buffer data, WebSocketConnection connection) {
        Optional.ofNullable(homeyOf.get(connection.id())).ifPresent(id -> sessions.heardFrom(id, connection));
    }

    @OnClose
    void closed(WebSocketConnection connection) {
        subscribeTokens.remove(connection.id());
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
        subscribeTokens.put(connection.id(),
                new TokenBucket(config.subscribesPerSecond(), config.subscribeBurst(), System.nanoTime()));
        homeyOf.put(connection.id(), homeyId);
        reply(connection, frames.welcome(homeyId));
        sessions.attach(homeyId, connection);
    }

    /**
     * A subscribe or unsubscribe that could not be saved (the database is unavailable) is answered with an error frame
     * the client can act on, never left without an answer; nothing was changed.
     */
    private void changeRegistration(WebSocketConnection connection, JsonNode frame, Runnable change) {
        try {
            change.run();
        } catch (RuntimeException e) {
            Log.warnf("Could not save a %s of socket %s: %s", frame.path("type").asText(), connection.id(), e.toString());
            reply(connection, frames.error(frame.path("webhookId").asText(null), "unavailable",
                    "The registration could not be saved; try again shortly"));
        }
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

    private void ack(String homeyId, JsonNode frame, WebSocketConnection connection) {
        String deliveryId = frame.path("id").asText("");
        if (DeliveryIds.isWellFormed(deliveryId)) {
            sessions.acknowledged(homeyId, deliveryId, connection);
        } else {
            sessions.heardFrom(homeyId, connection);
        }
    }

    private static void reply(WebSocketConnection connection, String frame) {
        connection.sendText(frame).subscribe().with(ok -> { }, failure -> { });
    }
}
