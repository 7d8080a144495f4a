package dev.switchboard.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Metrics;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Body and rate limits answer with problem+json, and the rate limit says when to retry. */
@QuarkusTest
@TestProfile(SenderLimitsTest.SmallLimits.class)
class SenderLimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.ingest.max-body-bytes", "1024",
                    "switchboard.ingest.rate-per-second", "1",
                    "switchboard.ingest.burst", "3",
                    "switchboard.homeys.enrollments-per-minute", "2");
        }
    }

    @TestHTTPResource(management = true)
    URL management;

    @Test
    void refusalsAreCountedByCode() {
        double before = Metrics.sum(management, "switchboard_ingest_refused_total{code=\"webhook_not_found\"");
        given().post("/webhook/0123456789abcdef01234567").then().statusCode(404);
        given().post("/webhook/0123456789abcdef01234567").then().statusCode(404);
        org.junit.jupiter.api.Assertions.assertEquals(before + 2,
                Metrics.sum(management, "switchboard_ingest_refused_total{code=\"webhook_not_found\""));
    }

    @Test
    void overLimitBodyIs413() {
        Webhooks webhook = Webhooks.create("limits-a");
        given().contentType("text/plain").body("x".repeat(1025)).post(webhook.url())
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("payload_too_large"));
    }

    @Test
    void enrollmentIsRateLimitedPerAddress() {
        given().contentType("application/json").post("/api/v1/homeys").then().statusCode(201);
        given().contentType("application/json").post("/api/v1/homeys").then().statusCode(201);
        given().contentType("application/json").post("/api/v1/homeys").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("code", equalTo("rate_limited"));
    }

    @Test
    void overRateIs429WithRetryAfter() {
        Webhooks webhook = Webhooks.create("limits-b");
        for (int i = 0; i < 3; i++) {
            given().post(webhook.url()).then().statusCode(200);
        }
        given().post(webhook.url()).then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("code", equalTo("rate_limited"));
    }
}
