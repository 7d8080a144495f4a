package dev.switchboard.homey;

import java.nio.charset.StandardCharsets;

import dev.switchboard.ratelimit.TokenBucket;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * One Homey's WebSocket, straight on Vert.x: a message is one write, with no reactive wrapper or context capture
 * around it (the hot path sends one per request and reads one ack back). Holds what the endpoint knows of the socket:
 * the Homey it authenticated as, once {@code hello} was accepted, and its subscribe allowance.
 */
final class HomeyConnection {

    private static final Buffer PING = Buffer.buffer("ping");

    private final ServerWebSocket socket;
    private final int maxFrameBytes;
    private volatile String homeyId;
    private volatile TokenBucket subscribeTokens;

    /** {@code maxFrameBytes}: the largest frame the server sends; a longer message is fragmented. */
    HomeyConnection(ServerWebSocket socket, int maxFrameBytes) {
        this.socket = socket;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The Homey this socket authenticated as; null until {@code hello} was accepted. */
    String homeyId() {
        return homeyId;
    }

    void authenticated(String homeyId, TokenBucket subscribeTokens) {
        this.subscribeTokens = subscribeTokens;
        this.homeyId = homeyId;
    }

    /** Whether another subscribe or unsubscribe may go through now (DESIGN.md: rate-limited per socket). */
    boolean mayChangeRegistrations() {
        TokenBucket tokens = subscribeTokens;
        return tokens == null || tokens.tryTake(System.nanoTime()) == 0;
    }

    boolean isOpen() {
        return !socket.isClosed();
    }

    /**
     * Writes a message given as UTF-8 text; {@code written} hears when it reached the socket, or why not, on the
     * socket's context. The bytes are wrapped, not copied, so every Homey a message goes to is sent the same array
     * (Vert.x's public API takes text as a String, which it would encode again for each socket). A message longer than
     * the frame size goes as a String, which Vert.x fragments as it always did: clients that cap frames, as Vert.x's
     * own does, still receive it.
     */
    void send(byte[] message, Handler<AsyncResult<Void>> written) {
        if (message.length <= maxFrameBytes) {
            socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, message, true), written);
        } else {
            socket.writeTextMessage(new String(message, StandardCharsets.UTF_8), written);
        }
    }

    /** Writes a text frame whose outcome nobody waits for (a reply; the client asks again if it is lost). */
    void send(String frame) {
        socket.writeTextMessage(frame, ignored -> { });
    }

    /** A ping: a live client answers with a pong, which counts as hearing from it. */
    void ping() {
        if (isOpen()) {
            socket.writePing(PING, ignored -> { });
        }
    }

    void close(int code, String reason) {
        if (isOpen()) {
            socket.close((short) code, reason, ignored -> { });
        }
    }

    /** Stops reading frames (they wait, in order) until {@link #resume()}. */
    void pause() {
        socket.pause();
    }

    void resume() {
        socket.resume();
    }
}
