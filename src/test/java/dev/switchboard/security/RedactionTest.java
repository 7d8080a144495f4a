package dev.switchboard.security;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.PortalForms;
import dev.switchboard.support.Tokens;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12, item 6: the delivery log hides credentials in the query string and in headers named like one, on the
 * portal, in the API, in fixture.json and in the curl copy; registrations show only their own webhook's waiting
 * messages; the test-Homey cap holds under concurrent creates.
 */
@QuarkusTest
class RedactionTest {

    static final String[] QUERY_SECRETS = {"access_token=qs-access-1", "token=qs-token-2", "key=qs-key-3",
        "secret=qs-secret-4", "signature=qs-signature-5", "sig=qs-sig-6", "api_key=qs-apikey-7",
        "client_secret=qs-client-8", "X-Amz-Signature=qs-amz-9"};
    static final String[][] HEADER_SECRETS = {{"X-Tuya-Key", "hd-key-1"}, {"X-Hub-Signature-256", "hd-signature-2"},
        {"X-Refresh-Token", "hd-token-3"}, {"X-Client-Secret", "hd-secret-4"}, {"X-Auth", "hd-auth-5"},
        {"Stripe-Signature", "hd-signature-6"}};

    @Test
    void credentialsInTheQueryAndInHeadersNamedLikeOneAreRedactedEverywhere() {
        Webhooks webhook = Webhooks.create("redaction");
        var request = given().header("X-Device-Id", "visible-device");
        for (String[] header : HEADER_SECRETS) {
            request.header(header[0], header[1]);
        }
        String deliveryId = request.contentType("application/json").body("{\"a\":1}")
                .post(webhook.url() + "?device=visible-query&" + String.join("&", QUERY_SECRETS))
                .then().statusCode(200).extract().path("deliveryId");
        String api = "/api/v1/webhooks/" + webhook.id + "/deliveries/" + deliveryId;

        String detail = as("redaction").get(api).then().statusCode(200).extract().asString();
        String fixture = as("redaction").get(api + "/fixture.json").then().statusCode(200).extract().asString();
        String page = PortalForms.signIn("redaction").page().get("/webhooks/" + webhook.id + "/deliveries/" + deliveryId)
                .then().statusCode(200).extract().asString();
        for (String shown : List.of(detail, fixture, page)) {
            assertTrue(shown.contains("visible-device") && shown.contains("visible-query"), shown);
            for (String secret : QUERY_SECRETS) {
                String value = secret.substring(secret.indexOf('=') + 1);
                assertFalse(shown.contains(value), value + " shown in " + shown);
            }
            for (String[] header : HEADER_SECRETS) {
                assertFalse(shown.contains(header[1]), header[1] + " shown in " + shown);
            }
        }
        as("redaction").get(api + "/fixture.json").then()
                .body("query.access_token", equalTo("[redacted]")).body("headers.'x-tuya-key'", equalTo("[redacted]"));
    }

    @Test
    void registrationsCountOnlyTheirOwnWebhooksWaitingMessages() throws Exception {
        Webhooks alices = Webhooks.create("pending-alice");
        Webhooks bobs = Webhooks.create("pending-bob");
        String homeyId;
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(alices.id, alices.secret, "{}");
            homey.subscribe(bobs.id, bobs.secret, "{}");
            homeyId = homey.homeyId;
        }
        for (int i = 0; i < 3; i++) {
            given().post(bobs.url() + "?homey=" + homeyId).then().statusCode(200);
        }
        given().post(alices.url() + "?homey=" + homeyId).then().statusCode(200);
        as("pending-alice").get("/api/v1/webhooks/" + alices.id + "/registrations").then().statusCode(200)
                .body("[0].homeyId", equalTo(homeyId)).body("[0].pending", equalTo(1));
        as("pending-bob").get("/api/v1/webhooks/" + bobs.id + "/registrations").then().statusCode(200)
                .body("[0].pending", equalTo(3));
    }

    @Test
    void theTestHomeyCapHoldsUnderFortyConcurrentCreates() throws Exception {
        String developer = "cap-race";
        Tokens.as(developer).get("/api/v1/test-homeys").then().statusCode(200);
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            List<Callable<Integer>> creates = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                creates.add(() -> Tokens.as(developer).body("{}").post("/api/v1/test-homeys").statusCode());
            }
            int created = 0;
            for (Future<Integer> status : pool.invokeAll(creates)) {
                int code = status.get();
                assertTrue(code == 201 || code == 422, "status " + code);
                created += code == 201 ? 1 : 0;
            }
            assertEquals(20, created);
            as(developer).get("/api/v1/test-homeys").then().body("size()", equalTo(20));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCurlCopyLeavesCredentialsOut() {
        Webhooks webhook = Webhooks.create("redaction-curl");
        String deliveryId = given().header("X-Tuya-Key", "curl-key-1").header("X-Device-Id", "d")
                .post(webhook.url() + "?device=d1&access_token=curl-token-2").then().statusCode(200)
                .extract().path("deliveryId");
        PortalForms.signIn("redaction-curl").page().get("/webhooks/" + webhook.id + "/deliveries/" + deliveryId)
                .then().statusCode(200).body(containsString("device=d1")).body(not(containsString("curl-key-1")))
                .body(not(containsString("curl-token-2")));
    }
}
