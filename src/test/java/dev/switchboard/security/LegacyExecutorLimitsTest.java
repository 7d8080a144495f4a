package dev.switchboard.security;

import static dev.switchboard.support.Tokens.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * Legacy functions run on their own bounded executor (SecurityLimits: one at a time, two waiting): a flood of senders
 * with 1 MiB bodies for a webhook whose function is slow gets 503 + Retry-After beyond the queue, and the API stays
 * responsive meanwhile. The API's response times during the flood are printed, not asserted.
 */
@QuarkusTest
@TestProfile(SecurityLimits.class)
class LegacyExecutorLimitsTest {

    /** Concurrent senders; the figure. Lower it with -Dlegacy.flood.senders=… on a small machine. */
    private static final int SENDERS = Integer.getInteger("legacy.flood.senders", 400);

    @Test
    void aFloodBeyondTheQueueIs503AndTheApiStaysResponsive() throws Exception {
        Webhooks webhook = Webhooks.create("legacy-flood")
                .legacyFunction("var n = 0; while (true) { n++; } return false;");
        try (HomeyClient first = HomeyClient.enroll().connect(); HomeyClient second = HomeyClient.enroll().connect()) {
            first.subscribe(webhook.id, webhook.secret, "{}");
            second.subscribe(webhook.id, webhook.secret, "{}");

            byte[] body = new byte[1024 * 1024];
            Arrays.fill(body, (byte) 'x');
            byte[] open = "{\"pad\":\"".getBytes();
            System.arraycopy(open, 0, body, 0, open.length);
            body[body.length - 2] = '"';
            body[body.length - 1] = '}';
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + webhook.url()))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();

            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < SENDERS; i++) {
                flood.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new));
            List<Long> apiMillis = new ArrayList<>();
            do {
                long asked = System.nanoTime();
                as("legacy-flood").get("/api/v1/webhooks").then().statusCode(200);
                apiMillis.add((System.nanoTime() - asked) / 1_000_000);
            } while (!all.isDone() || apiMillis.size() < 5);
            all.get(5, TimeUnit.MINUTES);
            long floodMillis = (System.nanoTime() - start) / 1_000_000;

            Map<Integer, Integer> statuses = new TreeMap<>();
            for (CompletableFuture<HttpResponse<String>> sent : flood) {
                HttpResponse<String> response = sent.join();
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 503) {
                    assertTrue(response.headers().firstValue("Retry-After").isPresent(), "503 without Retry-After");
                    assertTrue(response.body().contains("\"code\":\"unavailable\""), response.body());
                } else {
                    assertEquals(200, response.statusCode(), response.body());
                }
            }
            List<Long> sorted = apiMillis.stream().sorted().toList();
            System.out.printf("LegacyExecutorLimitsTest: %d senders x 1 MiB in %d ms, answers %s; API during the flood: "
                    + "%d calls, median %d ms, max %d ms%n", SENDERS, floodMillis, statuses, sorted.size(),
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
            assertTrue(statuses.getOrDefault(503, 0) > 0, "nobody was refused: " + statuses);
            assertTrue(statuses.getOrDefault(200, 0) > 0, "nobody was accepted: " + statuses);
        }
    }
}
