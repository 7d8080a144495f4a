package dev.switchboard.routing;

import java.util.Optional;

import dev.switchboard.webhook.keypath.KeyPath;

/**
 * What routing needs to know of a webhook, compiled once when the webhook changes; and its owner, which the sender
 * endpoint's per-owner storage quota counts by.
 */
public record RoutableWebhook(String id, Optional<KeyPath> keyPath, Optional<String> legacyFunction, String ownerId) {
}
