package dev.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Bytes in flight (sent, not yet acknowledged), over real sockets: a Homey holds at most its byte cap besides the
 * 256-message window, all Homeys of the node together at most the node's, and each may still have one message.
 * A message here is a frame of about 7.7 KB (a 3,000-byte text body, its base64, the headers).
 */
@QuarkusTest
@TestProfile(InFlightBytesTest.SmallCaps.class)
class InFlightBytesTest {

    public static class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Room for two such frames per Homey, three on the node; no resend within a test.
            return Map.of("switchboard.homeys.max-in-flight-bytes", "20K",
                    "switchboard.homeys.max-in-flight-bytes-per-node", "25K",
                    "switchboard.homeys.ack-timeout", "60s");
        }
    }

    private static final String BODY = "x".repeat(3000);

    @Test
    void aHomeyThatDoesNotAcknowledgeIsSentNoMoreThanItsByteCap() {
        Webhooks webhook = Webhooks.create("bytes-a");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            List<String> sent = post(webhook, homey, 5);

            JsonNode first = message(homey);
            JsonNode second = message(homey);
            assertFrameSize(first);
            homey.expectNothing(Duration.ofMillis(700));

            List<String> received = new ArrayList<>(List.of(id(first), id(second)));
            homey.ack(first);
            JsonNode third = message(homey);
            received.add(id(third));
            homey.ack(second);
            homey.ack(third);
            for (int i = 0; i < 2; i++) {
                JsonNode next = message(homey);
                received.add(id(next));
                homey.ack(next);
            }
            assertEquals(sent, received, "the rest follow in order as acknowledgements free room");
        }
    }

    @Test
    void theHomeysOfANodeShareItsByteCapAndEachMayHaveOneMessage() {
        Webhooks webhook = Webhooks.create("bytes-b");
        try (HomeyClient a = HomeyClient.enroll().connect(); HomeyClient b = HomeyClient.enroll().connect()) {
            a.subscribe(webhook.id, webhook.secret, "{}");
            b.subscribe(webhook.id, webhook.secret, "{}");
            post(webhook, a, 2);
            JsonNode a1 = message(a);
            JsonNode a2 = message(a);
            assertFrameSize(a1);

            List<String> toB = post(webhook, b, 2);
            assertEquals(toB.get(0), id(message(b)), "one message for every Homey, though the node is nearly full");
            b.expectNothing(Duration.ofMillis(700));

            a.ack(a1);
            a.ack(a2);
            assertEquals(toB.get(1), id(message(b)), "sent once another Homey's acknowledgements freed the node");
        }
    }

    private static List<String> post(Webhooks webhook, HomeyClient homey, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(given().contentType("text/plain").body(BODY).post(webhook.url() + "?homey=" + homey.homeyId)
                    .then().statusCode(200).extract().path("deliveryId"));
        }
        return ids;
    }

    private static JsonNode message(HomeyClient homey) {
        JsonNode frame = homey.next();
        assertEquals("message", frame.path("type").asText(), "expected a message, got " + frame);
        return frame;
    }

    private static String id(JsonNode message) {
        return message.get("id").asText();
    }

    /** The caps above hold two frames per Homey and three on the node only for frames of this size. */
    private static void assertFrameSize(JsonNode frame) {
        int size = frame.toString().length();
        assertTrue(size > 6_830 && size <= 10_240, "frame of " + size + " characters");
    }
}
