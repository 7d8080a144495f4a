package dev.switchboard.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Identity settings (README, "Security"). */
@ConfigMapping(prefix = "switchboard.security")
public interface SecurityConfig {

    /**
     * Whether a sign-in may claim the webhooks and test Homeys of an owner from before developers were identified by
     * issuer and subject, by having that owner's old principal name (see {@link LegacyOwners}).
     */
    @WithDefault("true")
    boolean claimLegacyOwners();
}
