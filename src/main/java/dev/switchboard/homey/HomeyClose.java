package dev.switchboard.homey;

/**
 * Why the server closes a Homey's socket, and the code each reason is sent with (DESIGN.md, "Settled in the code").
 * 4408 stands for both kinds of silence, no {@code hello} in time and no pong for too long: that is the contract
 * clients rely on, so the two reasons share it and differ in their text.
 */
enum HomeyClose {

    /** A frame before hello that is not a JSON object with a type. */
    BAD_FRAME(4400, "Frames are JSON objects with a type"),
    /** No valid hello first, or credentials no longer valid. */
    UNAUTHORIZED(4401, "hello with a valid homeyId and homeyKey is required first"),
    /** No hello within the hello timeout. */
    NO_HELLO(4408, "Expected hello in time"),
    /** No answer to pings for the idle timeout. */
    SILENT(4408, "No answer to pings"),
    /** A message larger than the inbound limit, however it was fragmented (RFC 6455: 1009 "message too big"). */
    TOO_BIG(1009, "Message too big"),
    /** A newer socket of the same Homey took over. */
    REPLACED(4409, "Replaced by a newer connection"),
    /** This node is shutting down: reconnect (to another node, in a cluster). */
    RESTARTING(1012, "Node restarting");

    final int code;
    private final String reason;

    HomeyClose(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    void close(HomeyConnection connection) {
        close(connection, reason);
    }

    /** With a reason more precise than the default one. */
    void close(HomeyConnection connection, String reason) {
        connection.close(code, reason);
    }
}
