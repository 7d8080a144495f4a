package dev.switchboard.homey;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.ratelimit.TokenBucket;
import dev.switchboard.security.SelfAuthenticatingRoutes;
import dev.switchboard.webhook.Credentials;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Homey endpoint (DESIGN.md, "Homey endpoint"): {@code hello} first, then {@code subscribe},
 * {@code unsubscribe} and {@code ack}; messages flow the other way through {@link HomeySessions}. A plain Vert.x
 * WebSocket: acks, one per message, are read on the event loop without a JSON tree; every other frame reads or
 * writes the database on a worker while the socket's later frames wait, so a connection's frames are handled one at
 * a time, in order.
 */
@ApplicationScoped
public class HomeySocket {

    static final String PATH = "/homey/v1/socket";
    private static final String ACK_PREFIX = "{\"type\":\"ack\",\"id\":\"";
    private static final String ACK_SUFFIX = "\"}";
    private final HomeyService homeys;
    private final HomeySessions sessions;
    private final HomeyConfig config;
    private final HomeyFrames frames;
    private final UpgradedRequests upgraded;
    private final Vertx vertx;
    /** One JSON value per frame: {@code {"type":"hello"} trailing} does not parse. */
    private final ObjectReader reader;

    HomeySocket(HomeyService homeys, HomeySessions sessions, HomeyConfig config, ObjectMapper mapper,
            HomeyFrames frames, UpgradedRequests upgraded, Vertx vertx) {
        this.homeys = homeys;
        this.sessions = sessions;
        this.config = config;
        this.frames = frames;
        this.upgraded = upgraded;
        this.vertx = vertx;
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    void register(@Observes Router router) {
        router.route(PATH).order(SelfAuthenticatingRoutes.ORDER).handler(this::upgrade);
    }

    private void upgrade(RoutingContext ctx) {
        ctx.request().toWebSocket().onSuccess(socket -> {
            upgraded.handshakeWritten(ctx.request());
            open(socket);
        }).onFailure(e -> {
            Log.debugf("Refused WebSocket upgrade: %s", e.getMessage());
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain")
                        .end("Expected a WebSocket upgrade request");
            }
        });
    }

    private void open(ServerWebSocket socket) {
        // Vert.x cuts the messages it writes at the frame size HomeySocketLimits sets, this one: the socket's own writes
        // of whole frames keep to it too.
        HomeyConnection connection = new HomeyConnection(socket, config.maxInboundFrameBytes());
        socket.textMessageHandler(text -> onFrame(text, connection));
        socket.pongHandler(data -> {
            String homeyId = connection.homeyId();
            if (homeyId != null) {
                sessions.heardFrom(homeyId, connection);
            }
        });
        socket.exceptionHandler(e -> failed(e, connection));
        socket.closeHandler(v -> closed(connection));
        vertx.setTimer(config.helloTimeout().toMillis(), id -> {
            if (connection.isOpen() && connection.homeyId() == null) {
                HomeyClose.NO_HELLO.close(connection, "Expected hello within " + config.helloTimeout().toSeconds() + " s");
            }
        });
    }

    /** Runs on the socket's event loop. */
    void onFrame(String text, HomeyConnection connection) {
        if (tooBig(text)) {
            // Vert.x enforces the same limit (max WebSocket message size); this holds whatever it lets through.
            closeTooBig(connection);
            return;
        }
        String homeyId = connection.homeyId();
        String ackedId = homeyId == null ? null : compactAckId(text);
        if (ackedId != null) {
            sessions.acknowledged(homeyId, ackedId, connection);
            return;
        }
        JsonNode frame = parse(text);
        if (frame == null) {
            if (homeyId != null) {
                connection.send(frames.error(null, "invalid_frame", "Frames are JSON objects with a type"));
            } else {
                // Before hello, on the event loop: a client that does not speak the protocol costs no worker.
                HomeyClose.BAD_FRAME.close(connection);
            }
            return;
        }
        String type = frame.get("type").asText();
        if (homeyId != null) {
            if (type.equals("ack")) {
                ack(homeyId, frame, connection);
                return;
            }
            sessions.heardFrom(homeyId, connection);
            if ((type.equals("subscribe") || type.equals("unsubscribe")) && !connection.mayChangeRegistrations()) {
                connection.send(frames.error(frame.path("webhookId").asText(null), "rate_limited",
                        "Too many subscribe and unsubscribe frames on this socket; try again later"));
                return;
            }
        }
        connection.pause();
        vertx.executeBlocking(() -> {
            ManagedContext requestContext = Arc.container().requestContext();
            requestContext.activate();
            try {
                handle(connection, homeyId, type, frame);
            } finally {
                requestContext.terminate();
            }
            return null;
        }, false).onComplete(done -> {
            if (done.failed()) {
                // Not the client's doing (a refused subscribe is answered inside): it reconnects and tries again.
                Log.errorf(done.cause(), "Could not handle a %s frame of homeyId=%s", type, homeyId);
                connection.close(1011, "Internal error");
            }
            connection.resume();
        });
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
            JsonNode frame = reader.readTree(text);
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
        return (long) text.length() * 3 > limit && text.getBytes(StandardCharsets.UTF_8).length > limit;
    }

    private void closeTooBig(HomeyConnection connection) {
        HomeyClose.TOO_BIG.close(connection, "Messages are at most " + config.maxInboundFrameBytes() + " bytes");
    }

    private void handle(HomeyConnection connection, String homeyId, String type, JsonNode frame) {
        if (homeyId == null) {
            hello(connection, type, frame);
            return;
        }
        switch (type) {
            case "subscribe" -> changeRegistration(connection, frame, () -> subscribe(connection, homeyId, frame));
            case "unsubscribe" -> changeRegistration(connection, frame, () -> unsubscribe(connection, homeyId, frame));
            case "hello" -> connection.send(frames.error(null, "already_authenticated", "hello was already accepted"));
            default -> connection.send(frames.error(null, "unknown_type", "Unknown frame type '" + type + "'"));
        }
    }

    /**
     * Vert.x refuses a message over the max WebSocket message size (however fragmented) with an
     * IllegalStateException while aggregating it: the client's doing, 1009. A connection the peer dropped is only
     * worth a debug line.
     */
    private void failed(Throwable e, HomeyConnection connection) {
        if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("max message size")) {
            Log.debugf("Closing a Homey socket: %s", e.getMessage());
            closeTooBig(connection);
        } else if (e instanceof IllegalStateException) {
            Log.errorf(e, "Unexpected failure on the socket of homeyId=%s", connection.homeyId());
            connection.close(1011, "Internal error");
        } else {
            Log.debugf("Socket of homeyId=%s failed: %s", connection.homeyId(), e.toString());
        }
    }

    private void closed(HomeyConnection connection) {
        String homeyId = connection.homeyId();
        if (homeyId != null) {
            sessions.detach(homeyId, connection);
            Log.debugf("Socket of homeyId=%s closed", homeyId);
        }
    }

    private void hello(HomeyConnection connection, String type, JsonNode frame) {
        String homeyId = frame.path("homeyId").asText(null);
        if (!"hello".equals(type) || !homeys.authenticate(homeyId, frame.path("homeyKey").asText(null))) {
            Log.infof("Refused socket: %s", "hello".equals(type) ? "bad credentials" : "first frame was not hello");
            HomeyClose.UNAUTHORIZED.close(connection);
            return;
        }
        connection.authenticated(homeyId,
                new TokenBucket(config.subscribesPerSecond(), config.subscribeBurst(), System.nanoTime()));
        connection.send(frames.welcome(homeyId));
        sessions.attach(homeyId, connection);
        if (!connection.isOpen()) {
            sessions.detach(homeyId, connection); // closed while hello was checked, before its close was heard
        }
    }

    /**
     * A subscribe or unsubscribe that could not be saved (the database is unavailable) is answered with an error frame
     * the client can act on, never left without an answer; nothing was changed.
     */
    private void changeRegistration(HomeyConnection connection, JsonNode frame, Runnable change) {
        try {
            change.run();
        } catch (RuntimeException e) {
            Log.warnf("Could not save a %s of homeyId=%s: %s", frame.path("type").asText(), connection.homeyId(),
                    e.toString());
            connection.send(frames.error(frame.path("webhookId").asText(null), "unavailable",
                    "The registration could not be saved; try again shortly"));
        }
    }

    private void subscribe(HomeyConnection connection, String homeyId, JsonNode frame) {
        String webhookId = frame.path("webhookId").asText("");
        if (!Credentials.isWellFormedId(webhookId)) {
            connection.send(frames.error(webhookId, "webhook_not_found", "No webhook with this ID"));
            return;
        }
        var failure = homeys.subscribe(homeyId, webhookId, frame.path("secret").asText(""), frame.get("data"));
        connection.send(failure
                .map(f -> frames.error(webhookId, f.error().code, f.message()))
                .orElseGet(() -> frames.subscribed(webhookId)));
    }

    private void unsubscribe(HomeyConnection connection, String homeyId, JsonNode frame) {
        String webhookId = frame.path("webhookId").asText("");
        if (Credentials.isWellFormedId(webhookId)) {
            homeys.unsubscribe(homeyId, webhookId);
        }
        connection.send(frames.unsubscribed(webhookId));
    }

    private void ack(String homeyId, JsonNode frame, HomeyConnection connection) {
        String deliveryId = frame.path("id").asText("");
        if (DeliveryIds.isWellFormed(deliveryId)) {
            sessions.acknowledged(homeyId, deliveryId, connection);
        } else {
            sessions.heardFrom(homeyId, connection);
        }
    }
}
