package dev.switchboard.bench;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.switchboard.webhook.TestSecrets;

/**
 * Writes what the app loads at startup straight into its database: the webhook (its API needs an OIDC login, which
 * the benchmark has no use for) and the registrations of Homeys that never connect, in bulk with COPY.
 */
final class Seeder {

    static final String ENCRYPTION_KEY = Base64.getEncoder()
            .encodeToString("bench-only-key-32-bytes-long!!!!".getBytes());
    static final String WEBHOOK_ID = "be0c4be0c4be0c4be0c4be0c";
    static final String WEBHOOK_SECRET = "bench-webhook-secret-not-for-production-use-0123456789";
    static final String KEY_PATH = "body.device_id";
    private static final int CHUNK = 50_000;

    private Seeder() {
    }

    /** Device key of the {@code i}-th fleet Homey's registration (what the wrk script sends). */
    static String onlineKey(int i) {
        return String.format("c%06d", i);
    }

    static void webhook(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO webhook (id, owner_id, name, secret_ciphertext,"
                + " key_path, created_at, updated_at) VALUES (?, 'bench', 'Benchmark', ?, ?, now(), now())")) {
            s.setString(1, WEBHOOK_ID);
            s.setString(2, TestSecrets.encrypt(ENCRYPTION_KEY, WEBHOOK_ID, WEBHOOK_SECRET));
            s.setString(3, KEY_PATH);
            s.executeUpdate();
        }
    }

    /**
     * {@code count} Homeys that never connect (IDs {@code fa000..}), each registered on the webhook with
     * {@code $key} = {@code o<index>}, the devices the wrk script picks for its offline share.
     */
    static void offlineRegistrations(Connection c, int count) throws SQLException, IOException {
        if (count <= 0) {
            return;
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        // Any hash will do: these Homeys never say hello.
        String keyHash = "\\\\x" + "00".repeat(32);
        for (int from = 0; from < count; from += CHUNK) {
            int to = Math.min(count, from + CHUNK);
            StringBuilder homeys = new StringBuilder((to - from) * 64);
            StringBuilder registrations = new StringBuilder((to - from) * 120);
            for (int i = from; i < to; i++) {
                String homeyId = String.format("fa%022d", i);
                homeys.append(homeyId).append('\t').append(keyHash).append("\t2026-01-01 00:00:00+00\n");
                registrations.append(WEBHOOK_ID).append('\t').append(homeyId)
                        .append(String.format("\t{\"$key\": \"o%07d\"}", i))
                        .append("\t2026-01-01 00:00:00+00\t2026-01-01 00:00:00+00\n");
            }
            copy.copyIn("COPY homey (id, key_hash, created_at) FROM STDIN", new StringReader(homeys.toString()));
            copy.copyIn("COPY registration (webhook_id, homey_id, data, created_at, updated_at) FROM STDIN",
                    new StringReader(registrations.toString()));
        }
        c.commit();
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE homey");
            s.execute("ANALYZE registration");
        }
        c.commit();
        c.setAutoCommit(autoCommit);
    }
}
