package dev.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.switchboard.webhook.TestSecrets;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Issue 12, item 2 (migration): owners from before developers were identified by issuer and subject keep their
 * webhooks and test Homeys. The app starts on a database left at V6 with rows owned by principal names, migrates it
 * itself, and the first sign-in with such a name claims them; after that the name alone gets nobody anything.
 */
@QuarkusTest
@TestProfile(LegacyOwnerMigrationTest.DatabaseAtV6.class)
class LegacyOwnerMigrationTest {

    static final String OLGAS_WEBHOOK = "0123456789abcdef01234567";
    static final String OLGAS_SECRET = "olgas-secret-from-before-the-migration-0123456789";
    static final String OLGAS_TEST_HOMEY = "76543210fedcba9876543210";
    static final String URSULAS_WEBHOOK = "89abcdef0123456789abcdef";
    static final String TEST_KEY = "dGVzdC1vbmx5LWtleS1kby1ub3QtdXNlLWluLXByb2Q=";

    @Test
    void anExistingOwnersWebhooksAndTestHomeysSurviveTheMigrationAndGoToTheFirstSignInWithTheirName() {
        // Before anyone signs in, the rows are nobody's: a sender still reaches the webhook.
        given().post("/webhook/" + OLGAS_WEBHOOK).then().statusCode(200).body("status", equalTo("accepted"));

        String olga = token("olga", "olgas-subject");
        given().auth().oauth2(olga).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", hasItem(OLGAS_WEBHOOK));
        given().auth().oauth2(olga).get("/api/v1/webhooks/" + OLGAS_WEBHOOK).then().statusCode(200)
                .body("name", equalTo("Olga's lamps"))
                .body("secret", equalTo(OLGAS_SECRET));
        given().auth().oauth2(olga).get("/api/v1/test-homeys").then().statusCode(200)
                .body("homeyId", hasItem(OLGAS_TEST_HOMEY));
        given().auth().oauth2(olga).get("/api/v1/webhooks/" + OLGAS_WEBHOOK + "/deliveries").then().statusCode(200)
                .body("items.size()", equalTo(1));

        // Claimed: a later token with the same username but another subject is someone else.
        String impostor = token("olga", "someone-who-took-the-name");
        given().auth().oauth2(impostor).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", not(hasItem(OLGAS_WEBHOOK)));
        given().auth().oauth2(impostor).get("/api/v1/webhooks/" + OLGAS_WEBHOOK).then().statusCode(404);
        given().auth().oauth2(impostor).get("/api/v1/test-homeys").then().statusCode(200)
                .body("homeyId", not(hasItem(OLGAS_TEST_HOMEY)));
        // Olga, under a new username, is still Olga.
        given().auth().oauth2(token("olga-renamed", "olgas-subject")).get("/api/v1/webhooks/" + OLGAS_WEBHOOK)
                .then().statusCode(200);

        // The name decides the claim, and the name was the principal name: upn before preferred_username.
        String ursula = OidcWiremockTestResource.generateJwtToken("ursula-display", Set.of("user"), "ursulas-subject",
                "Bearer", Set.of("https://server.example.com"), Map.of("upn", "ursula@corp.example"));
        given().auth().oauth2(ursula).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", equalTo(List.of(URSULAS_WEBHOOK)));
    }

    private static String token(String username, String subject) {
        return OidcWiremockTestResource.generateJwtToken(username, Set.of("user"), subject, "Bearer",
                Set.of("https://server.example.com"));
    }

    public static class DatabaseAtV6 implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PreMigrationDatabase.class));
        }
    }

    /** Its own PostgreSQL, migrated to V6 and given rows the way the app wrote them then (owner = principal name). */
    public static class PreMigrationDatabase implements QuarkusTestResourceLifecycleManager {

        private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

        @Override
        public Map<String, String> start() {
            try {
                server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setDataDirectory(Path.of("target/legacy-owner-postgres").toAbsolutePath())
                        .setCleanDataDirectory(true).start();
                String url = server.getJdbcUrl("postgres", "postgres");
                Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:migration")
                        .target("6").load().migrate();
                try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
                    webhook(c, OLGAS_WEBHOOK, "olga", "Olga's lamps", OLGAS_SECRET);
                    webhook(c, URSULAS_WEBHOOK, "ursula@corp.example", "Ursula's blinds", "ursulas-secret-0123456789");
                    try (PreparedStatement s = c.prepareStatement("INSERT INTO homey (id, key_hash, owner_id, label,"
                            + " created_at) VALUES (?, ?, 'olga', 'Olga''s simulator', now())")) {
                        s.setString(1, OLGAS_TEST_HOMEY);
                        s.setBytes(2, new byte[32]);
                        s.executeUpdate();
                    }
                }
                return Map.of("quarkus.datasource.jdbc.url", url, "quarkus.datasource.username", "postgres",
                        "quarkus.datasource.password", "postgres");
            } catch (Exception e) {
                throw new IllegalStateException("Could not prepare a database at V6", e);
            }
        }

        private static void webhook(Connection c, String id, String owner, String name, String secret)
                throws SQLException {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO webhook (id, owner_id, name, secret_ciphertext,"
                    + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                Timestamp now = Timestamp.from(Instant.now());
                s.setString(1, id);
                s.setString(2, owner);
                s.setString(3, name);
                s.setString(4, TestSecrets.encrypt(TEST_KEY, id, secret));
                s.setTimestamp(5, now);
                s.setTimestamp(6, now);
                s.executeUpdate();
            }
        }

        @Override
        public void stop() {
            if (server != null) {
                try {
                    server.close();
                } catch (Exception e) {
                    // The data folder is cleaned at the next start.
                }
            }
        }
    }
}
