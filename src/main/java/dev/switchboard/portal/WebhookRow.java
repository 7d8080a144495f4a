package dev.switchboard.portal;

import java.time.Instant;

/** One line of the webhook list. */
public record WebhookRow(String id, String name, String routingLabel, Instant createdAt, String createdAtText) {
}
