package dev.switchboard.homey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HomeyClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Every authenticated socket is pinged; a client's pong counts as hearing from it, so a quiet socket stays open. */
@QuarkusTest
@TestProfile(HomeyPingTest.FastPings.class)
class HomeyPingTest {

    public static class FastPings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.homeys.ping-interval", "500ms", "switchboard.homeys.idle-timeout", "2s",
                    "switchboard.homeys.resend-check-interval", "500ms");
        }
    }

    @Test
    void aQuietSocketThatAnswersPingsStaysOpenPastTheIdleTimeout() throws InterruptedException {
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            Thread.sleep(5000); // two and a half idle timeouts without a frame from the client
            assertEquals(null, homey.closedWith(), "socket closed");
            assertTrue(homey.pings() >= 4, "pings received: " + homey.pings());
        }
    }
}
