package dev.switchboard.security;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Issue 12, item 8 (quota): a webhook, and all of one owner's webhooks together, store at most so many bytes per UTC
 * day; beyond it the sender gets 429 {@code quota_exceeded} with Retry-After until midnight UTC, and nothing of the
 * refused request is recorded. Each request here stores about 6.2 KB (a 6,000-byte body, its headers and query).
 */
@QuarkusTest
@TestProfile(StorageQuotaTest.SmallQuota.class)
class StorageQuotaTest {

    static final String BODY;

    static {
        char[] text = new char[6000];
        Arrays.fill(text, 'q');
        BODY = new String(text);
    }

    public static class SmallQuota implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.quota.webhook-bytes-per-day", "20000",
                    "switchboard.quota.owner-bytes-per-day", "45000");
        }
    }

    @Test
    void aWebhookBeyondItsDailyQuotaGets429AndNothingMoreIsRecorded() {
        Webhooks webhook = Webhooks.create("quota-a");
        assertEquals(3, acceptedBeforeRefusal(webhook));

        Response refused = post(webhook);
        refused.then().statusCode(429).contentType("application/problem+json")
                .body("code", equalTo("quota_exceeded")).body("status", equalTo(429));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 86_400, "Retry-After until midnight UTC: " + retryAfter);

        as("quota-a").get("/api/v1/webhooks/" + webhook.id + "/deliveries").then().statusCode(200)
                .body("items.size()", equalTo(3));
        // Another developer's webhook is not held back.
        Webhooks other = Webhooks.create("quota-other");
        post(other).then().statusCode(200).body("status", equalTo("accepted"));
    }

    @Test
    void oneOwnersWebhooksShareTheOwnersQuota() {
        Webhooks first = Webhooks.create("quota-b");
        Webhooks second = Webhooks.create("quota-b");
        Webhooks third = Webhooks.create("quota-b");
        assertEquals(3, acceptedBeforeRefusal(first));
        assertEquals(3, acceptedBeforeRefusal(second));
        // 6 requests stored; a 7th fits the owner's 45,000 bytes, an 8th does not, though this webhook has room.
        assertEquals(1, acceptedBeforeRefusal(third));
        post(third).then().statusCode(429).body("code", equalTo("quota_exceeded"));
        as("quota-b").get("/api/v1/webhooks/" + third.id + "/deliveries").then().body("items.size()", equalTo(1));
    }

    private static int acceptedBeforeRefusal(Webhooks webhook) {
        for (int accepted = 0; accepted < 10; accepted++) {
            Response response = post(webhook);
            if (response.statusCode() != 200) {
                response.then().statusCode(429).body("code", equalTo("quota_exceeded"));
                return accepted;
            }
        }
        throw new AssertionError("No quota: 10 requests accepted");
    }

    private static Response post(Webhooks webhook) {
        return given().contentType("text/plain").body(BODY).post(webhook.url());
    }
}
