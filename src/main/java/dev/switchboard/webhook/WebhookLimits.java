package dev.switchboard.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How many webhooks a developer may own. */
@ConfigMapping(prefix = "switchboard.webhooks")
public interface WebhookLimits {

    /** Webhooks per developer; creating one more answers 422 {@code too_many_webhooks}. */
    @WithDefault("1000")
    int maxPerDeveloper();
}
