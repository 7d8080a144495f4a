package dev.switchboard.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.logging.Logger;

/**
 * The PostgreSQL server the app runs itself when no datasource URL is configured, so that a fresh checkout
 * starts with one command. One server per JVM and data folder: dev-mode restarts (which load this class again
 * in a new class loader) and test classes reuse it, found through a system property.
 */
final class EmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String RUNNING_URL_PROPERTY = "dev.switchboard.embedded-postgres.running-url.";

    private EmbeddedPostgres() {
    }

    static String jdbcUrl(Path dataDir, boolean clean) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        String key = RUNNING_URL_PROPERTY + absolute;
        synchronized (System.getProperties()) {
            String running = System.getProperty(key);
            if (running != null) {
                return running;
            }
            var server = start(absolute, clean);
            String url = server.getJdbcUrl("postgres", "postgres");
            System.setProperty(key, url);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, key), "embedded-postgres-stop"));
            return url;
        }
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres start(Path dataDir, boolean clean) {
        try {
            Files.createDirectories(dataDir);
            long started = System.nanoTime();
            var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(clean)
                    .setServerConfig("max_connections", "200")
                    .start();
            LOG.infof("Embedded PostgreSQL started in %d ms on port %d, data in %s",
                    (System.nanoTime() - started) / 1_000_000, pg.getPort(), dataDir);
            return pg;
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDir
                    + " (is another Switchboard using this folder? Set quarkus.datasource.jdbc.url to use your own"
                    + " PostgreSQL, or switchboard.embedded-db.data-dir to use another folder)", e);
        }
    }

    private static void stop(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String key) {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
        System.clearProperty(key);
    }
}
