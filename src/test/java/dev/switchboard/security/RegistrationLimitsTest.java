package dev.switchboard.security;

import static dev.switchboard.support.Tokens.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Registrations are bounded: data at most 16 KiB, $keys at most 1,000 entries (defaults), registrations per Homey
 * and webhooks per developer capped (SecurityLimits: 20 and 25). Refusals name the limit.
 */
@QuarkusTest
@TestProfile(SecurityLimits.class)
class RegistrationLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void dataOver16KiBIsRefused() {
        Webhooks webhook = Webhooks.create("limits-data");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            JsonNode answer = subscribe(homey, webhook, dataOfBytes(16 * 1024 + 1));
            assertError(answer, webhook.id, "data_too_large");
            assertEquals("subscribed", subscribe(homey, webhook, dataOfBytes(16 * 1024)).path("type").asText());
        }
    }

    @Test
    void moreThan1000KeysAreRefused() {
        Webhooks webhook = Webhooks.create("limits-keys");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            assertError(subscribe(homey, webhook, keys(1001)), webhook.id, "too_many_keys");
            assertEquals("subscribed", subscribe(homey, webhook, keys(1000)).path("type").asText());
        }
    }

    @Test
    void webhooksPerDeveloperAreCapped() {
        String owner = "limits-webhooks";
        for (int i = 0; i < SecurityLimits.MAX_WEBHOOKS_PER_DEVELOPER; i++) {
            Webhooks.create(owner);
        }
        as(owner).body("{\"name\":\"One too many\"}").post("/api/v1/webhooks").then().statusCode(422)
                .contentType("application/problem+json").body("code", equalTo("too_many_webhooks"));
    }

    /** Subscribes the most a Homey may hold, each with the largest data, and shows what that costs in heap. */
    @Test
    void registrationsPerHomeyAreCappedAndHeapStaysBounded() {
        int max = SecurityLimits.MAX_REGISTRATIONS_PER_HOMEY;
        List<Webhooks> webhooks = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            webhooks.add(Webhooks.create("limits-registrations-" + (i / 20)));
        }
        long before = heapAfterGc();
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            String data = dataOfBytes(16 * 1024);
            for (int i = 0; i < max; i++) {
                assertEquals("subscribed", subscribe(homey, webhooks.get(i), data).path("type").asText());
            }
            assertError(subscribe(homey, webhooks.get(max), data), webhooks.get(max).id, "too_many_registrations");
            // Replacing a registration the Homey holds is still allowed.
            assertEquals("subscribed", subscribe(homey, webhooks.get(0), data).path("type").asText());
            // A flood of refused subscribes adds nothing.
            for (int round = 0; round < 5; round++) {
                assertError(subscribe(homey, webhooks.get(max), data), webhooks.get(max).id, "too_many_registrations");
            }
        }
        long after = heapAfterGc();
        // The data's text is 320 KiB in all; JSON trees, index entries and whatever else the app did meanwhile
        // (one JVM, other tests' leftovers) stay far below this.
        long bound = 32L * 1024 * 1024;
        System.out.printf("RegistrationLimitsTest: %d registrations of 16 KiB each; heap after GC %d -> %d KiB "
                + "(growth %d KiB, bound checked %d KiB)%n", max, before / 1024, after / 1024, (after - before) / 1024,
                bound / 1024);
        assertTrue(after - before < bound, "heap grew by " + (after - before) + " bytes");
    }

    private static JsonNode subscribe(HomeyClient homey, Webhooks webhook, String dataJson) {
        ObjectNode frame = JSON.createObjectNode().put("type", "subscribe").put("webhookId", webhook.id)
                .put("secret", webhook.secret);
        try {
            frame.set("data", JSON.readTree(dataJson));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        homey.send(frame);
        return homey.next();
    }

    private static void assertError(JsonNode answer, String webhookId, String code) {
        assertEquals("error", answer.path("type").asText(), answer.toString());
        assertEquals(webhookId, answer.path("webhookId").asText(), answer.toString());
        assertEquals(code, answer.path("code").asText(), answer.toString());
    }

    /** {"$key":"k","pad":"xxx…"} of exactly {@code bytes} bytes as JSON text. */
    private static String dataOfBytes(int bytes) {
        String empty = "{\"$key\":\"k\",\"pad\":\"\"}";
        return "{\"$key\":\"k\",\"pad\":\"" + "x".repeat(bytes - empty.length()) + "\"}";
    }

    private static String keys(int count) {
        ObjectNode data = JSON.createObjectNode();
        ArrayNode keys = data.putArray("$keys");
        for (int i = 0; i < count; i++) {
            keys.add("k" + i);
        }
        return data.toString();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
