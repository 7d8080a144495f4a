package dev.switchboard.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** What a Homey app's {@code env.json} needs: where to connect, and the webhook's ID and secret. */
@JsonPropertyOrder({ "SWITCHBOARD_URL", "WEBHOOK_ID", "WEBHOOK_SECRET" })
public record EnvJson(@JsonProperty("SWITCHBOARD_URL") String switchboardUrl,
        @JsonProperty("WEBHOOK_ID") String webhookId,
        @JsonProperty("WEBHOOK_SECRET") String webhookSecret) {
}
