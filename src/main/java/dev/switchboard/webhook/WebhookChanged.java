package dev.switchboard.webhook;

/** Fired inside the transaction that created, changed or deleted a webhook; observers act after commit. */
public record WebhookChanged(String webhookId) {
}
