package dev.switchboard.ingest.payload;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes the {@code message} frame a Homey receives over its socket:
 * <pre>{@code
 * {"type":"message","id":"<deliveryId>","webhookId":"…","receivedAt":"2026-11-27T05:00:00.123Z",
 *  "method":"POST","headers":{…},"query":{…},"body":…,"rawBody":"<base64>"}
 * }</pre>
 *
 * <p>Nothing in the frame depends on the receiving Homey ({@code id} is the delivery, i.e. the request),
 * so write it once per request and send the same bytes to every matched Homey, now or when it reconnects.
 */
public final class HomeyMessageFrame {

    private static final DateTimeFormatter RECEIVED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HomeyMessageFrame() {
    }

    /**
     * The frame as UTF-8 JSON text, streamed straight from the payload's trees (no intermediate maps).
     * {@code rawBody} is standard base64 with padding, left out when there was no body.
     * {@code receivedAt} is truncated to milliseconds. The returned array is the caller's to share.
     */
    public static byte[] write(ObjectMapper mapper, String deliveryId, String webhookId, Instant receivedAt,
            WebhookPayload payload) {
        byte[] raw = payload.rawBody();
        // Base64 grows the raw body by a third and the parsed body repeats it: size for both up front.
        ByteArrayOutputStream out = new ByteArrayOutputStream(512 + raw.length * 3);
        try (JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("type", "message");
            g.writeStringField("id", deliveryId);
            g.writeStringField("webhookId", webhookId);
            g.writeStringField("receivedAt", RECEIVED_AT.format(receivedAt));
            g.writeStringField("method", payload.method());
            g.writeFieldName("headers");
            g.writeTree(payload.headers());
            g.writeFieldName("query");
            g.writeTree(payload.query());
            g.writeFieldName("body");
            g.writeTree(payload.body());
            if (raw.length > 0) {
                g.writeFieldName("rawBody");
                g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, raw, 0, raw.length);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
