package dev.switchboard.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;

/**
 * Supplies the datasource settings of the embedded PostgreSQL when no datasource URL is configured. A config
 * source (rather than a startup bean) is needed because Agroal and Flyway read the URL before any application
 * bean runs. The server starts only when the URL is first read, so the build itself never starts one.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context, URL) || !Boolean.parseBoolean(valueOr(context, "switchboard.embedded-db.enabled", "true"))) {
            return List.of();
        }
        Path dataDir = Path.of(valueOr(context, "switchboard.embedded-db.data-dir", "switchboard-data/postgres"));
        boolean clean = Boolean.parseBoolean(valueOr(context, "switchboard.embedded-db.clean", "false"));
        boolean durable = Boolean.parseBoolean(valueOr(context, "switchboard.embedded-db.durable", "true"));
        return List.of(new LazySource(dataDir, clean, durable));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(50);
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static String valueOr(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null ? value.getValue() : fallback;
    }

    private record LazySource(Path dataDir, boolean clean, boolean durable) implements ConfigSource {

        // Not listed: the build reads every listed property, which would start the server during the build.
        // The datasource looks these names up directly at startup.
        @Override
        public Set<String> getPropertyNames() {
            return Set.of();
        }

        @Override
        public Map<String, String> getProperties() {
            return Map.of();
        }

        @Override
        public String getValue(String propertyName) {
            return switch (propertyName) {
                case URL -> EmbeddedPostgres.jdbcUrl(dataDir, clean, durable);
                case USERNAME, PASSWORD -> "postgres";
                default -> null;
            };
        }

        @Override
        public String getName() {
            return "switchboard-embedded-postgres";
        }

        @Override
        public int getOrdinal() {
            return 50;
        }
    }
}
