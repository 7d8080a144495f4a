package dev.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Metrics;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * What a misbehaving socket costs: acks for IDs not in flight are ignored, a first frame that does not parse closes
 * the socket with 4400 at once, and subscribe/unsubscribe frames are rate-limited per socket.
 */
@QuarkusTest
@TestProfile(SecurityLimits.class)
class HomeySocketAbuseTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestThatIsNotAWebSocketUpgradeIs400() {
        given().get("/homey/v1/socket").then().statusCode(400);
    }

    @TestHTTPResource(management = true)
    URL management;

    @Test
    void acksForIdsNotInFlightAreIgnored() {
        Webhooks webhook = Webhooks.create("abuse-acks").keyPath("body.device");
        try (HomeyClient homey = HomeyClient.enroll().connect(); HomeyClient other = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"a\"}");
            given().contentType("application/json").body("{\"device\":\"a\"}").post(webhook.url()).then().statusCode(200);
            JsonNode message = homey.next();
            double ackedBefore = ackedMetric();
            // Another Homey acks that message, then invents IDs by the thousand.
            other.send(JSON.createObjectNode().put("type", "ack").put("id", message.get("id").asText()));
            String base = message.get("id").asText().substring(0, 12);
            for (int i = 0; i < 2_000; i++) {
                other.send(JSON.createObjectNode().put("type", "ack").put("id", base + String.format("%012x", i)));
            }
            // The real ack, sent after the flood, is counted once: the flood added nothing before it.
            homey.ack(message);
            homey.ack(message);
            waitForAckedMetric(ackedBefore + 1);
            other.send(JSON.createObjectNode().put("type", "subscribe").put("webhookId", "x"));
            other.next(); // every frame before this one was handled
            assertEquals(ackedBefore + 1, ackedMetric(), "only the one real ack counts");
        }
    }

    @Test
    void firstFramesThatDoNotParseClose4400() {
        for (String text : List.of("", "not json", "{", "[]", "42", "null", "\"hello\"", "{\"homeyId\":\"x\"}",
                "{\"type\":1}", "{\"type\":\"hello\"} trailing")) {
            try (HomeyClient homey = HomeyClient.enroll().open()) {
                homey.sendText(text);
                assertEquals(4400, homey.awaitClose(Duration.ofSeconds(5)), "first frame " + text);
            }
        }
    }

    @Test
    void subscribeAndUnsubscribeAreRateLimitedPerSocket() {
        Webhooks webhook = Webhooks.create("abuse-subscribe");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            int frames = SecurityLimits.SUBSCRIBE_BURST + 10;
            for (int i = 0; i < frames; i++) {
                String type = i % 2 == 0 ? "subscribe" : "unsubscribe";
                homey.send(JSON.createObjectNode().put("type", type).put("webhookId", webhook.id)
                        .put("secret", webhook.secret));
            }
            List<JsonNode> answers = new ArrayList<>();
            for (int i = 0; i < frames; i++) {
                answers.add(homey.next());
            }
            long limited = answers.stream().filter(a -> "rate_limited".equals(a.path("code").asText())).count();
            assertTrue(limited >= 9, "rate_limited answers: " + limited + " of " + answers);
            answers.stream().filter(a -> "rate_limited".equals(a.path("code").asText()))
                    .forEach(a -> assertEquals(webhook.id, a.path("webhookId").asText(), a.toString()));
        }
        // A new socket has its own allowance.
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
        }
    }

    private double ackedMetric() {
        return Metrics.sum(management, "switchboard_deliveries_acked_total");
    }

    private void waitForAckedMetric(double atLeast) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ackedMetric() < atLeast && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
