package dev.switchboard.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed view of every {@code switchboard.*} setting; defaults live here, overrides in application.properties. */
@ConfigMapping(prefix = "switchboard")
public interface SwitchboardConfig {

    /**
     * Base URL senders use to reach this service, e.g. {@code https://webhooks.example.com}. When empty, the
     * portal shows URLs built from the address the developer's browser used.
     */
    Optional<String> publicBaseUrl();

    Secrets secrets();

    EmbeddedDb embeddedDb();

    interface Secrets {
        /** Base64 of a 256-bit AES key that encrypts webhook secrets at rest. Required in production. */
        String encryptionKey();

        /** How long a rotated-out secret keeps working. */
        @WithDefault("24h")
        Duration rotationGracePeriod();
    }

    /** Read by {@code EmbeddedPostgresConfigSourceFactory} before this mapping exists; declared for docs and validation. */
    interface EmbeddedDb {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("switchboard-data/postgres")
        String dataDir();

        @WithDefault("false")
        boolean clean();

        /** Flush every commit to disk (fsync, synchronous commit); only tests, which throw their data away, turn it off. */
        @WithDefault("true")
        boolean durable();
    }
}
