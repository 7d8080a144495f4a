package dev.switchboard.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * The PostgreSQL server the app runs itself when no datasource URL is configured, so that a fresh checkout
 * starts with one command. One server per JVM and data folder: dev-mode restarts (which load this class again
 * in a new class loader) and test classes reuse it, found through a system property.
 *
 * <p>zonky's builder starts the server the way tests want it: {@code postgres -F} (no fsync) and
 * {@code synchronous_commit = off}, so an operating-system crash or power loss could lose commits that were answered,
 * or corrupt the data folder. A durable server (the default outside tests) runs with PostgreSQL's own defaults again:
 * every commit's WAL is flushed to disk before it returns, which is what a sender's 200 promises.
 */
final class EmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String RUNNING_URL_PROPERTY = "dev.switchboard.embedded-postgres.running-url.";

    private EmbeddedPostgres() {
    }

    /** What a durable server overrides: {@code -c} settings come after zonky's {@code -F}, so they win. */
    static final Map<String, String> DURABLE = Map.of("fsync", "on", "synchronous_commit", "on",
            "full_page_writes", "on");

    static String jdbcUrl(Path dataDir, boolean clean, boolean durable) {
        Path absolute = dataDir.toAbsolutePath().normalize();
        String key = RUNNING_URL_PROPERTY + absolute;
        synchronized (System.getProperties()) {
            String running = System.getProperty(key);
            if (running != null) {
                return running;
            }
            var server = start(absolute, clean, durable);
            String url = server.getJdbcUrl("postgres", "postgres");
            System.setProperty(key, url);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, key), "embedded-postgres-stop"));
            return url;
        }
    }

    static io.zonky.test.db.postgres.embedded.EmbeddedPostgres start(Path dataDir, boolean clean, boolean durable) {
        try {
            Files.createDirectories(dataDir);
            long started = System.nanoTime();
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(clean)
                    .setServerConfig("max_connections", "200");
            if (durable) {
                DURABLE.forEach(builder::setServerConfig);
            }
            var pg = builder.start();
            LOG.infof("Embedded PostgreSQL started in %d ms on port %d, data in %s%s",
                    (System.nanoTime() - started) / 1_000_000, pg.getPort(), dataDir,
                    durable ? "" : " (not durable: no fsync, for tests)");
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
