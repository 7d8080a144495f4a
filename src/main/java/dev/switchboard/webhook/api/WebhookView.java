package dev.switchboard.webhook.api;

import java.time.Instant;

import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;

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
                senderUrl, senderUrl + "?homey={homeyId}", WebhookService.routingOf(webhook), webhook.createdAt, webhook.updatedAt);
    }
}
