package dev.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HomeyClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A Homey's message is at most 64 KiB (max-inbound-frame-bytes), however it is cut into frames: larger closes with 1009. */
@QuarkusTest
@TestProfile(SecurityLimits.class)
class HomeyFrameLimitsTest {

    private static final int LIMIT = 65536;

    @Test
    void aFragmentedMessageOverTheLimitClosesTheSocket() {
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            // Three frames of 30,000 bytes: each under the limit, the message (90,000 bytes) over it.
            String part = "x".repeat(30_000);
            homey.sendFragments("{\"type\":\"subscribe\",\"data\":{\"pad\":\"" + part, part, part + "\"}}");
            assertEquals(1009, homey.awaitClose(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aSingleFrameOverTheLimitClosesTheSocket() {
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.sendText("{\"type\":\"subscribe\",\"data\":{\"pad\":\"" + "x".repeat(LIMIT) + "\"}}");
            assertEquals(1009, homey.awaitClose(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aFragmentedMessageUnderTheLimitIsRead() {
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.sendFragments("{\"type\":", "\"subscribe\",\"webhookId\":\"nope\"}");
            assertEquals("webhook_not_found", homey.next().path("code").asText());
        }
    }
}
