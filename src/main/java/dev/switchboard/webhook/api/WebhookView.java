package dev.switchboard.webhook.api;

import java.time.Instant;

import dev.switchboard.webhook.Webhook;

/** A webhook as the API shows it to its owner. */
public record WebhookView(
        String id,
        String name,
        String secret,
        Instant previousSecretExpiresAt,
        String keyPath,
        String legacyFunction,
        Instant legacyImportedAt,
        String url,
        String homeyUrlTemplate,
        String routing,
        Instant createdAt,
        Instant updatedAt) {

    static WebhookView of(Webhook webhook, String secret, boolean previousSecretActive, String senderUrl) {
        return new WebhookView(webhook.id, webhook.name, secret,
                previousSecretActive ? webhook.previousSecretExpiresAt : null,
                webhook.keyPath, webhook.legacyFunction, webhook.legacyImportedAt,
                senderUrl, senderUrl + "?homey={homeyId}", routingOf(webhook), webhook.createdAt, webhook.updatedAt);
    }

    /** Which rule decides after {@code ?homey=}: mirrors the routing order of DESIGN.md. */
    public static String routingOf(Webhook webhook) {
        if (webhook.keyPath != null) {
            return "key_path";
        }
        return webhook.legacyFunction != null ? "legacy_function" : "query_only";
    }
}
