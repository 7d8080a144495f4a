package dev.switchboard.homey;

import dev.switchboard.ratelimit.TokenBucket;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * One Homey's WebSocket, straight on Vert.x: a message is one write, with no reactive wrapper or context capture
 * around it (the hot path sends one per request and reads one ack back). Holds what the endpoint knows of the socket:
 * the Homey it authenticated as, once {@code hello} was accepted, and its subscribe allowance.
 */
final class HomeyConnection {

    private static final Buffer PING = Buffer.buffer("ping");

    private final ServerWebSocket socket;
    private volatile String homeyId;
    private volatile TokenBucket subscribeTokens;

    HomeyConnection(ServerWebSocket socket) {
        this.socket = socket;
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

    /** Writes a text frame; {@code written} hears when it reached the socket, or why not, on the socket's context. */
    void send(String frame, Handler<AsyncResult<Void>> written) {
        socket.writeTextMessage(frame, written);
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
