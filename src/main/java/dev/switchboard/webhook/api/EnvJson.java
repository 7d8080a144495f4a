package dev.switchboard.webhook.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The two lines a Homey app's {@code env.json} needs. */
public record EnvJson(@JsonProperty("WEBHOOK_ID") String webhookId, @JsonProperty("WEBHOOK_SECRET") String webhookSecret) {
}
