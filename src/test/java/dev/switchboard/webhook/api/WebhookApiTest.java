package dev.switchboard.webhook.api;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

@QuarkusTest
class WebhookApiTest {

    static String create(String developer, String name) {
        return as(developer).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .post("/api/v1/webhooks")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void createAnswers201WithGeneratedCredentialsAndUrls() {
        as("carol").contentType(ContentType.JSON).body("{\"name\":\"  Acme bulbs  \"}")
                .post("/api/v1/webhooks")
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/webhooks/[0-9a-f]{24}"))
                .body("id", matchesPattern("[0-9a-f]{24}"))
                .body("name", equalTo("Acme bulbs"))
                .body("secret", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("keyPath", nullValue())
                .body("legacyFunction", nullValue())
                .body("url", matchesPattern("http://localhost:\\d+/webhook/[0-9a-f]{24}"))
                .body("homeyUrlTemplate", endsWith("?homey={homeyId}"))
                .body("routing", equalTo("query_only"))
                .body("createdAt", notNullValue());
    }

    @Test
    void listShowsOnlyMyWebhooks() {
        String mine = create("dave", "Dave's");
        create("erin", "Erin's");
        as("dave").get("/api/v1/webhooks").then().statusCode(200)
                .body("id", hasItem(mine))
                .body("name", not(hasItem("Erin's")));
    }

    @Test
    void envJsonHoldsUrlIdAndSecret() {
        String id = create("frank", "Env");
        String secret = as("frank").get("/api/v1/webhooks/" + id).then().extract().path("secret");
        as("frank").get("/api/v1/webhooks/" + id + "/env.json").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"env.json\"")
                .body("SWITCHBOARD_URL", equalTo("http://localhost:" + RestAssured.port))
                .body("WEBHOOK_ID", equalTo(id))
                .body("WEBHOOK_SECRET", equalTo(secret));
    }

    @ParameterizedTest
    @ValueSource(strings = { "headers['X-Device-Id']", "body.device_id", "query.homey", "body[\"a b\"][0].c",
            "body . ünïcode ['\\u0041']" })
    void validKeyPathRoundTripsExactly(String keyPath) {
        String id = create("grace", "Key path");
        String json = "{\"keyPath\":" + quote(keyPath) + "}";
        as("grace").contentType(ContentType.JSON).body(json).patch("/api/v1/webhooks/" + id)
                .then().statusCode(200).body("keyPath", equalTo(keyPath)).body("routing", equalTo("key_path"));
        as("grace").get("/api/v1/webhooks/" + id).then().body("keyPath", equalTo(keyPath));
    }

    @Test
    void invalidKeyPathIsRefusedWithItsPositionAndChangesNothing() {
        String id = create("heidi", "Bad key path");
        as("heidi").contentType(ContentType.JSON).body("{\"keyPath\":\"body.ok\"}").patch("/api/v1/webhooks/" + id)
                .then().statusCode(200);
        as("heidi").contentType(ContentType.JSON).body("{\"keyPath\":\"body..a\",\"name\":\"Changed\"}")
                .patch("/api/v1/webhooks/" + id)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_input"))
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("keyPath"))
                .body("errors[0].position", equalTo(5));
        as("heidi").get("/api/v1/webhooks/" + id).then()
                .body("keyPath", equalTo("body.ok"))
                .body("name", equalTo("Bad key path"));
    }

    @Test
    void nullKeyPathClearsIt() {
        String id = create("ivan", "Clear");
        as("ivan").contentType(ContentType.JSON).body("{\"keyPath\":\"body.x\"}").patch("/api/v1/webhooks/" + id);
        as("ivan").contentType(ContentType.JSON).body("{\"keyPath\":null}").patch("/api/v1/webhooks/" + id)
                .then().statusCode(200).body("keyPath", nullValue()).body("routing", equalTo("query_only"));
    }

    @Test
    void renameValidatesTheName() {
        String id = create("judy", "Old");
        as("judy").contentType(ContentType.JSON).body("{\"name\":\"New name\"}").patch("/api/v1/webhooks/" + id)
                .then().statusCode(200).body("name", equalTo("New name"));
        as("judy").contentType(ContentType.JSON).body("{\"name\":\"   \"}").patch("/api/v1/webhooks/" + id)
                .then().statusCode(422).body("errors[0].field", equalTo("name"));
        as("judy").contentType(ContentType.JSON).body("{\"name\":42}").patch("/api/v1/webhooks/" + id)
                .then().statusCode(422).body("errors[0].field", equalTo("name"));
        as("judy").contentType(ContentType.JSON).body("{\"legacyFunction\":\"return true;\"}")
                .patch("/api/v1/webhooks/" + id)
                .then().statusCode(422).body("errors[0].field", equalTo("legacyFunction"));
    }

    @Test
    void createRefusesBadNames() {
        as("ken").contentType(ContentType.JSON).body("{\"name\":\"\"}").post("/api/v1/webhooks")
                .then().statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("name"));
        as("ken").contentType(ContentType.JSON).body("{\"name\":\"" + "x".repeat(121) + "\"}").post("/api/v1/webhooks")
                .then().statusCode(422).body("errors[0].field", equalTo("name"));
        as("ken").contentType(ContentType.JSON).body("{").post("/api/v1/webhooks")
                .then().statusCode(400).contentType("application/problem+json");
        as("ken").get("/api/v1/webhooks").then().body("$", hasSize(0));
    }

    @Test
    void rotateIssuesANewSecretAndKeepsTheOldOneForTheGracePeriod() {
        String id = create("leo", "Rotate");
        String before = as("leo").get("/api/v1/webhooks/" + id).then().extract().path("secret");
        String expires = as("leo").post("/api/v1/webhooks/" + id + "/rotate-secret")
                .then().statusCode(200).extract().path("previousSecretExpiresAt");
        String after = as("leo").get("/api/v1/webhooks/" + id).then().extract().path("secret");
        assertNotEquals(before, after);
        Duration grace = Duration.between(Instant.now(), Instant.parse(expires));
        org.junit.jupiter.api.Assertions.assertTrue(grace.compareTo(Duration.ofHours(23)) > 0
                && grace.compareTo(Duration.ofHours(25)) < 0, "grace period about 24 h, was " + grace);
    }

    @Test
    void deleteRemovesIt() {
        String id = create("mallory", "Delete me");
        as("mallory").delete("/api/v1/webhooks/" + id).then().statusCode(204);
        as("mallory").get("/api/v1/webhooks/" + id).then().statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("webhook_not_found"))
                .body("status", equalTo(404));
    }

    @Test
    void malformedIdIsNotFound() {
        as("nina").get("/api/v1/webhooks/not-an-id").then().statusCode(404).body("code", equalTo("webhook_not_found"));
    }

    @Test
    void withoutCredentialsTheApiIsClosed() {
        given().redirects().follow(false).get("/api/v1/webhooks").then().statusCode(not(200));
        given().auth().oauth2("not-a-token").get("/api/v1/webhooks").then().statusCode(401);
    }

    @Test
    void openApiDocumentsTheApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/webhooks/{id}/rotate-secret"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/admin/webhooks/{id}/legacy-function"));
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
