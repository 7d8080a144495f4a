package dev.switchboard.homey.api;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.homey.Homey;
import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** {@code /api/v1/test-homeys}: simulator Homeys, whose key reaches only the developer who enrolled them. */
@QuarkusTest
class TestHomeyApiTest {

    @Test
    void aTestHomeyConnectsWithTheCredentialsItsOwnerGets() {
        String homeyId = enroll("th-owner", "Kitchen");
        as("th-owner").get("/api/v1/test-homeys").then().statusCode(200).body("homeyId", hasItem(homeyId))
                .body("find { it.homeyId == '" + homeyId + "' }.label", equalTo("Kitchen"));

        JsonPath credentials = as("th-owner").get("/api/v1/test-homeys/" + homeyId + "/credentials").then()
                .statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
        assertEquals(homeyId, credentials.getString("homeyId"));
        String key = credentials.getString("homeyKey");
        assertTrue(key.matches("[A-Za-z0-9_-]{43}"), key);

        Webhooks webhook = Webhooks.create("th-owner");
        try (HomeyClient homey = HomeyClient.withCredentials(homeyId, key).connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            given().post(webhook.url() + "?homey=" + homeyId).then().statusCode(200);
            assertEquals(webhook.id, homey.nextMessage().get("webhookId").asText());
            as("th-owner").get("/api/v1/webhooks/" + webhook.id + "/registrations").then()
                    .body("[0].testHomey", equalTo(true));
        }
    }

    @Test
    void theKeyIsKeptEncryptedNotInTheClear() {
        String homeyId = enroll("th-cipher", null);
        String key = as("th-cipher").get("/api/v1/test-homeys/" + homeyId + "/credentials").then().extract().path("homeyKey");
        Homey stored = QuarkusTransaction.requiringNew().call(() -> Homey.findById(homeyId));
        assertTrue(stored.keyCiphertext.startsWith("v1:"), stored.keyCiphertext);
        assertFalse(stored.keyCiphertext.contains(key));
        assertEquals("Test Homey 1", stored.label);
    }

    @Test
    void anotherDevelopersTestHomeyIs404Everywhere() {
        String homeyId = enroll("th-alice", "Alice's");
        String url = "/api/v1/test-homeys/" + homeyId;
        homeyNotFound(as("th-mallory").get(url + "/credentials").then());
        homeyNotFound(as("th-mallory").get(url).then());
        homeyNotFound(as("th-mallory").delete(url).then());
        as("th-mallory").get("/api/v1/test-homeys").then().statusCode(200).body("homeyId", not(hasItem(homeyId)));
        as("th-alice").get(url + "/credentials").then().statusCode(200);
    }

    @Test
    void aRealHomeyIsNoOnesTestHomey() {
        HomeyClient real = HomeyClient.enroll();
        homeyNotFound(as("th-alice").get("/api/v1/test-homeys/" + real.homeyId + "/credentials").then());
        homeyNotFound(as("th-alice").get("/api/v1/test-homeys/not-an-id/credentials").then());
    }

    @Test
    void deletingATestHomeyDropsItsRegistrationsAndClosesItsSocket() {
        String homeyId = enroll("th-delete", "Doomed");
        String key = as("th-delete").get("/api/v1/test-homeys/" + homeyId + "/credentials").then().extract().path("homeyKey");
        Webhooks webhook = Webhooks.create("th-delete").keyPath("body.k");
        HomeyClient homey = HomeyClient.withCredentials(homeyId, key).connect();
        homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"v\"}");

        as("th-delete").delete("/api/v1/test-homeys/" + homeyId).then().statusCode(204);

        assertEquals(4401, homey.awaitClose(Duration.ofSeconds(5)));
        homeyNotFound(as("th-delete").get("/api/v1/test-homeys/" + homeyId + "/credentials").then());
        as("th-delete").get("/api/v1/webhooks/" + webhook.id + "/registrations").then().body("size()", equalTo(0));
        HomeyClient again = HomeyClient.withCredentials(homeyId, key).open();
        again.send(frame("{\"type\":\"hello\",\"homeyId\":\"" + homeyId + "\",\"homeyKey\":\"" + key + "\"}"));
        assertEquals(4401, again.awaitClose(Duration.ofSeconds(5)));
    }

    @Test
    void aDeveloperHasAtMostTwentyTestHomeys() {
        for (int i = 0; i < 20; i++) {
            enroll("th-many", null);
        }
        as("th-many").body("{}").post("/api/v1/test-homeys").then().statusCode(422)
                .body("errors[0].field", equalTo("label"));
        as("th-many").body("{\"label\":\"" + "x".repeat(121) + "\"}").post("/api/v1/test-homeys").then().statusCode(422);
    }

    static String enroll(String developer, String label) {
        String body = label == null ? "{}" : "{\"label\":\"" + label + "\"}";
        return as(developer).body(body).post("/api/v1/test-homeys").then().statusCode(201).extract().path("homeyId");
    }

    private static void homeyNotFound(ValidatableResponse response) {
        response.statusCode(404).contentType("application/problem+json").body("code", equalTo("homey_not_found"));
    }

    private static JsonNode frame(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
