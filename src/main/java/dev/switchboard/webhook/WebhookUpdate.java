package dev.switchboard.webhook;

import java.util.Optional;

/** A partial change to a webhook: absent fields stay as they are. */
public record WebhookUpdate(Optional<String> name, Optional<String> keyPath) {

    public static WebhookUpdate name(String name) {
        return new WebhookUpdate(Optional.of(name), Optional.empty());
    }

    public static WebhookUpdate keyPath(String keyPath) {
        return new WebhookUpdate(Optional.empty(), Optional.of(keyPath));
    }
}
