package dev.switchboard.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.AppProcess;
import dev.switchboard.support.HomeyClient;
import dev.switchboard.webhook.TestSecrets;
import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SIGKILL the app while senders are being answered: every request answered 200 must still reach its Homey after a
 * restart. The packaged app runs as users run it (quarkus-run.jar) against a PostgreSQL that outlives it.
 */
class CrashRecoveryIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = Base64.getEncoder().encodeToString("crash-test-key-32-bytes-long!!!!".getBytes());

    EmbeddedPostgres postgres;
    Process app;
    /** Health is on the management interface, a port of its own. */
    int managementPort;

    @AfterEach
    void stop() throws IOException {
        if (app != null) {
            app.destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void noRequestAnswered200IsLostWhenTheProcessIsKilled() throws Exception {
        postgres = EmbeddedPostgres.builder().setDataDirectory(Path.of("target/crash-test-postgres"))
                .setCleanDataDirectory(true).start();
        int port = AppProcess.freePort();
        managementPort = AppProcess.freePort();
        app = start(port);
        RestAssured.port = port;

        String webhookId = "c0ffee00c0ffee00c0ffee00";
        String secret = "crash-test-secret";
        insertWebhook(webhookId, secret);
        restart(port); // the directory loads webhooks at startup

        HomeyClient homey = HomeyClient.enroll().connect();
        homey.subscribe(webhookId, secret, "{}");

        Set<String> answered200 = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            senders.submit(() -> {
                int n = 0;
                while (sending.get()) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/webhook/" + webhookId + "?homey=" + homey.homeyId))
                                .timeout(Duration.ofSeconds(5))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"t\":" + thread + ",\"n\":" + n++ + "}"))
                                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            answered200.add(JSON.readTree(response.body()).get("deliveryId").asText());
                        }
                    } catch (Exception connectionLost) {
                        // expected while the app is down
                    }
                }
                return null;
            });
        }
        Instant until = Instant.now().plusSeconds(3);
        while (Instant.now().isBefore(until) || answered200.size() < 50) {
            Thread.sleep(50);
        }
        app.destroyForcibly().waitFor(); // SIGKILL on Linux: no shutdown hooks, no flush
        Thread.sleep(300);
        sending.set(false);
        senders.shutdown();
        senders.awaitTermination(10, TimeUnit.SECONDS);
        homey.close();
        assertTrue(answered200.size() >= 50, "load reached the app: " + answered200.size());

        app = start(port);
        Set<String> received = new HashSet<>();
        homey.connect();
        Instant deadline = Instant.now().plusSeconds(60);
        while (!received.containsAll(answered200) && Instant.now().isBefore(deadline)) {
            JsonNode frame = homey.next(Duration.ofSeconds(30));
            if ("message".equals(frame.path("type").asText())) {
                homey.ack(frame);
                received.add(frame.get("id").asText());
            }
        }
        Set<String> lost = new HashSet<>(answered200);
        lost.removeAll(received);
        System.out.printf("Crash test: %d requests answered 200 before SIGKILL, %d received after restart, %d lost%n",
                answered200.size(), received.size(), lost.size());
        assertEquals(Set.of(), lost);
        homey.close();
    }

    private void restart(int port) throws Exception {
        app.destroy();
        app.waitFor(30, TimeUnit.SECONDS);
        app = start(port);
    }

    private Process start(int port) throws Exception {
        Path log = Path.of("target/crash-test-app.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        var env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("QUARKUS_OIDC_TENANT_ENABLED", "false");
        env.put("SWITCHBOARD_SECRETS_ENCRYPTION_KEY", KEY);
        env.put("SWITCHBOARD_INGEST_RATE_PER_SECOND", "100000");
        env.put("SWITCHBOARD_INGEST_BURST", "100000");
        return AppProcess.awaitReady(builder.start(), managementPort, log, "App", Duration.ofSeconds(60));
    }

    private void insertWebhook(String id, String secret) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO webhook (id, owner_id, name, secret_ciphertext,"
                        + " created_at, updated_at) VALUES (?, 'crash-test', 'Crash test', ?, now(), now())")) {
            s.setString(1, id);
            s.setString(2, TestSecrets.encrypt(KEY, id, secret));
            s.executeUpdate();
        }
    }
}
