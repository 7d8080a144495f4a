package dev.switchboard.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server a user runs (no datasource configured) must keep what it answered for through a power loss:
 * zonky starts PostgreSQL without fsync, which only tests may keep.
 */
class EmbeddedPostgresDurabilityTest {

    @TempDir
    Path dataDir;

    @Test
    void aDurableServerFlushesEveryCommitToDisk() throws Exception {
        try (var server = EmbeddedPostgres.start(dataDir, true, true)) {
            assertEquals("on", setting(server, "fsync"));
            assertEquals("on", setting(server, "synchronous_commit"));
            assertEquals("on", setting(server, "full_page_writes"));
        }
    }

    @Test
    void theTestServerSkipsFsync() throws Exception {
        try (var server = EmbeddedPostgres.start(dataDir, true, false)) {
            assertEquals("off", setting(server, "fsync"));
        }
    }

    private static String setting(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String name)
            throws SQLException {
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
