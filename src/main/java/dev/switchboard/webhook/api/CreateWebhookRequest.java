package dev.switchboard.webhook.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import dev.switchboard.webhook.Webhook;

public record CreateWebhookRequest(@NotBlank @Size(max = Webhook.MAX_NAME_LENGTH) String name) {
}
