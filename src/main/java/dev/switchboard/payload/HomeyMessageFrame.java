package dev.switchboard.payload;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

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

    /** The text of one second, {@code uuuu-MM-ddTHH:mm:ss}; immutable, so racing writers of the cache are harmless. */
    private record Second(long epochSecond, String text) {
    }

    /** The second the last frame was received in: most frames that follow share it. */
    private static volatile Second lastSecond;
    /** {@code .SSSZ} for every millisecond of a second. */
    private static final String[] MILLIS = new String[1000];

    static {
        for (int millis = 0; millis < MILLIS.length; millis++) {
            MILLIS[millis] = pad(new StringBuilder(5).append('.'), millis, 3).append('Z').toString();
        }
    }

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
        // One provider for the three trees: writeTree would set up a new one for each (measured on the hot path).
        SerializerProvider provider = mapper.getSerializerProviderInstance();
        try (JsonGenerator g = mapper.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("type", "message");
            g.writeStringField("id", deliveryId);
            g.writeStringField("webhookId", webhookId);
            g.writeStringField("receivedAt", utcMillis(receivedAt));
            g.writeStringField("method", payload.method());
            g.writeFieldName("headers");
            payload.headers().serialize(g, provider);
            g.writeFieldName("query");
            payload.query().serialize(g, provider);
            g.writeFieldName("body");
            payload.body().serialize(g, provider);
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

    /**
     * {@code uuuu-MM-ddTHH:mm:ss.SSSZ} in UTC, written by hand: DateTimeFormatter cost more than the rest. Requests
     * arrive many to the second, so the text up to the second is kept from the call before, and only the milliseconds
     * are appended.
     */
    static String utcMillis(Instant at) {
        Second second = lastSecond;
        if (second == null || second.epochSecond() != at.getEpochSecond()) {
            second = new Second(at.getEpochSecond(), toTheSecond(at));
            lastSecond = second;
        }
        return second.text().concat(MILLIS[at.getNano() / 1_000_000]);
    }

    private static String toTheSecond(Instant at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(19);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        return pad(out, t.getSecond(), 2).toString();
    }

    private static StringBuilder pad(StringBuilder out, int value, int digits) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < digits; i++) {
            out.append('0');
        }
        return out.append(text);
    }
}
