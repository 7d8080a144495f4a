package dev.switchboard.delivery;

import java.time.Instant;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.payload.HomeyMessageFrame;
import dev.switchboard.payload.WebhookPayload;

/**
 * A committed delivery's message for the Homeys it matched, as {@link OnlineHomeys} gets it. Nothing in it depends
 * on the receiving Homey, so the socket side renders its frame once, on first push, and every Homey gets those bytes.
 */
public final class HomeyMessage {

    private final DeliveryRecord record;
    private final WebhookPayload payload;
    /**
     * Rendered on first use, as UTF-8 JSON text; a race renders it twice, never wrongly (a reader that sees the
     * reference sees a complete array: it is only ever replaced, never written into, and then read-only).
     */
    private volatile byte[] frame;

    public HomeyMessage(DeliveryRecord record, WebhookPayload payload) {
        this.record = record;
        this.payload = payload;
    }

    public String deliveryId() {
        return record.id();
    }

    public String webhookId() {
        return record.webhookId();
    }

    public Instant receivedAt() {
        return record.receivedAt();
    }

    public WebhookPayload payload() {
        return payload;
    }

    /**
     * The wire frame's UTF-8 bytes ({@link HomeyMessageFrame}), written with {@code mapper} the first time they are
     * asked for, whichever node or socket asks first; read-only.
     */
    public byte[] frame(ObjectMapper mapper) {
        byte[] rendered = frame;
        if (rendered == null) {
            rendered = HomeyMessageFrame.write(mapper, deliveryId(), webhookId(), receivedAt(), payload);
            frame = rendered;
        }
        return rendered;
    }
}
