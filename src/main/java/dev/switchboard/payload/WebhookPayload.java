package dev.switchboard.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A webhook request interpreted once, for everything that follows: routing evaluates key paths against
 * {@link #body()}, {@link #headers()} and {@link #query()}, the delivery log records them, and
 * {@link HomeyMessageFrame} writes them to Homeys. Built by {@link PayloadParser#parse(InboundRequest)}.
 *
 * <p>The trees and the raw bytes are shared, not copied, because they are read for every matched Homey and
 * the body may be a mebibyte: treat them as read-only. Copy ({@code deepCopy()}, {@code clone()}) before
 * changing anything, as {@link HeaderRedaction} does.
 */
public final class WebhookPayload {

    private final String method;
    private final ObjectNode headers;
    private final ObjectNode query;
    private final JsonNode body;
    private final byte[] rawBody;
    private final BodyKind bodyKind;
    private final String contentType;

    WebhookPayload(String method, ObjectNode headers, ObjectNode query, JsonNode body, byte[] rawBody,
            BodyKind bodyKind, String contentType) {
        this.method = method;
        this.headers = headers;
        this.query = query;
        this.body = body;
        this.rawBody = rawBody;
        this.bodyKind = bodyKind;
        this.contentType = contentType;
    }

    /** The HTTP method as received. */
    public String method() {
        return method;
    }

    /** Lower-cased names to folded values, hop-by-hop fields removed. Always an object. */
    public ObjectNode headers() {
        return headers;
    }

    /** Decoded query parameters: a string per key, or an array of strings for a repeated key. */
    public ObjectNode query() {
        return query;
    }

    /** What a Homey receives as {@code body}; its shape follows {@link #bodyKind()}. Never null. */
    public JsonNode body() {
        return body;
    }

    /** The exact bytes received; empty when there was no body. Read-only by convention (shared). */
    public byte[] rawBody() {
        return rawBody;
    }

    public BodyKind bodyKind() {
        return bodyKind;
    }

    /** The Content-Type header as received (first one if repeated); null when absent. */
    public String contentType() {
        return contentType;
    }

    /** Deliberately leaves out headers, query and body: this may end up in a log line. */
    @Override
    public String toString() {
        return "WebhookPayload[" + method + ", " + bodyKind + ", " + rawBody.length + " bytes]";
    }
}
