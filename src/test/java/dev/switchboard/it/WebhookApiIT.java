package dev.switchboard.it;

import static dev.switchboard.support.Tokens.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** A developer's first steps through the management API of the packaged app: create a webhook, copy env.json. */
@QuarkusIntegrationTest
@TestProfile(PackagedApp.class)
class WebhookApiIT {

    @Test
    void createThenDownloadEnvJson() {
        JsonPath created = as("it-dev").body("{\"name\":\"Acme bulbs\"}").post("/api/v1/webhooks")
                .then().statusCode(201)
                .body("id", matchesPattern("[0-9a-f]{24}"))
                .body("name", equalTo("Acme bulbs"))
                .body("keyPath", nullValue())
                .body("legacyFunction", nullValue())
                .extract().jsonPath();
        String id = created.getString("id");
        String secret = created.getString("secret");

        as("it-dev").get("/api/v1/webhooks/" + id + "/env.json").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"env.json\"")
                .body("WEBHOOK_ID", equalTo(id))
                .body("WEBHOOK_SECRET", equalTo(secret))
                .body("SWITCHBOARD_URL", equalTo("http://localhost:" + RestAssured.port));
    }

    @Test
    void invalidKeyPathIsRefusedWithItsPosition() {
        String id = as("it-dev").body("{\"name\":\"Key paths\"}").post("/api/v1/webhooks")
                .then().statusCode(201).extract().path("id");
        as("it-dev").body("{\"keyPath\":\"body..x\"}").patch("/api/v1/webhooks/" + id).then().statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_input"))
                .body("errors[0].field", equalTo("keyPath"));
    }

    @Test
    void anotherDevelopersWebhookIsNotFound() {
        String id = as("it-owner").body("{\"name\":\"Mine\"}").post("/api/v1/webhooks")
                .then().statusCode(201).extract().path("id");
        as("it-stranger").get("/api/v1/webhooks/" + id).then().statusCode(404)
                .body("code", equalTo("webhook_not_found"));
    }
}
