package dev.switchboard.security;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.PortalSession;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;

/**
 * Issue 12, item 1: every state change a browser session can make needs the CSRF token and must come from this site,
 * whatever its content type; bearer-token calls, senders and Homey enrollment need neither.
 */
@QuarkusTest
class CsrfTest {

    PortalSession alice;

    @BeforeEach
    void signIn() {
        // Not @BeforeAll: RestAssured learns the app's port before each test.
        alice = PortalSession.signInAsAlice();
    }

    @Test
    void rotatingTheSecretNeedsTheTokenWhateverTheBody() {
        Webhooks webhook = Webhooks.create("alice");
        String api = "/api/v1/webhooks/" + webhook.id + "/rotate-secret";
        String page = "/webhooks/" + webhook.id + "/rotate-secret";

        refused(alice.request().post(api).then());
        refused(alice.request().contentType("text/plain").body("x").post(api).then());
        refused(alice.request().contentType("application/json").body("{}").post(api).then());
        refusedPage(alice.request().contentType("text/plain").body("csrf-token=" + alice.csrfToken).post(page).then());
        refusedPage(alice.request().post(page).then());
        refusedPage(alice.request().contentType("Application/X-WWW-Form-Urlencoded").body("confirm=yes").post(page).then());
        refusedPage(alice.request().contentType("multipart/form-data").multiPart("x", "y").post(page).then());

        as("alice").get("/api/v1/webhooks/" + webhook.id).then().body("secret", equalTo(webhook.secret));
    }

    @Test
    void replayAndTestHomeysNeedTheToken() {
        Webhooks webhook = Webhooks.create("alice");
        String deliveryId = given().post(webhook.url()).then().statusCode(200).extract().path("deliveryId");
        String deliveries = "/api/v1/webhooks/" + webhook.id + "/deliveries";
        refused(alice.request().post(deliveries + "/" + deliveryId + "/replay").then());
        refused(alice.request().contentType("text/plain").post(deliveries + "/" + deliveryId + "/replay").then());
        as("alice").get(deliveries).then().body("items.size()", equalTo(1));

        int before = as("alice").get("/api/v1/test-homeys").then().extract().path("size()");
        refused(alice.request().contentType("application/json").post("/api/v1/test-homeys").then());
        refused(alice.request().contentType("application/json").body("{\"label\":\"forged\"}")
                .post("/api/v1/test-homeys").then());
        String homeyId = as("alice").body("{}").post("/api/v1/test-homeys").then().statusCode(201)
                .extract().path("homeyId");
        refused(alice.request().delete("/api/v1/test-homeys/" + homeyId).then());
        as("alice").get("/api/v1/test-homeys/" + homeyId).then().statusCode(200);
        assertEquals(before + 1, (int) as("alice").get("/api/v1/test-homeys").then().extract().path("size()"));
        as("alice").delete("/api/v1/test-homeys/" + homeyId).then().statusCode(204);
    }

    @Test
    void crossSiteRequestsAreRefusedEvenWithTheToken() {
        Webhooks webhook = Webhooks.create("alice");
        String page = "/webhooks/" + webhook.id + "/rename";
        refusedPage(alice.request().header("Sec-Fetch-Site", "cross-site").formParam("csrf-token", alice.csrfToken)
                .formParam("name", "x").post(page).then());
        refusedPage(alice.request().header("Sec-Fetch-Site", "same-site").formParam("csrf-token", alice.csrfToken)
                .formParam("name", "x").post(page).then());
        refusedPage(alice.request().header("Origin", "https://evil.example").formParam("csrf-token", alice.csrfToken)
                .formParam("name", "x").post(page).then());
        refusedPage(alice.request().header("Origin", "null").formParam("csrf-token", alice.csrfToken)
                .formParam("name", "x").post(page).then());
        as("alice").get("/api/v1/webhooks/" + webhook.id).then().body("name", equalTo("Test webhook"));

        alice.request().header("Origin", "http://localhost:" + RestAssured.port)
                .formParam("csrf-token", alice.csrfToken).formParam("name", "Same site").post(page)
                .then().statusCode(303);
        as("alice").get("/api/v1/webhooks/" + webhook.id).then().body("name", equalTo("Same site"));
    }

    @Test
    void thePortalsOwnFormsAndScriptsGetThrough() {
        Webhooks webhook = Webhooks.create("alice");
        alice.form().post("/webhooks/" + webhook.id + "/rotate-secret").then().statusCode(303);
        alice.request().header("X-CSRF-TOKEN", alice.csrfToken).header("Sec-Fetch-Site", "same-origin")
                .post("/api/v1/webhooks/" + webhook.id + "/rotate-secret").then().statusCode(200);
        alice.request().header("X-CSRF-TOKEN", "wrong" + alice.csrfToken.substring(5))
                .post("/api/v1/webhooks/" + webhook.id + "/rotate-secret").then().statusCode(403);
    }

    @Test
    void bearerCallsSendersAndHomeyEnrollmentAreExempt() {
        Webhooks webhook = Webhooks.create("csrf-bearer");
        as("csrf-bearer").contentType("text/plain").post("/api/v1/webhooks/" + webhook.id + "/rotate-secret")
                .then().statusCode(200);
        as("csrf-bearer").contentType("application/x-www-form-urlencoded")
                .post("/api/v1/webhooks/" + webhook.id + "/rotate-secret").then().statusCode(200);
        given().contentType("application/x-www-form-urlencoded").post("/api/v1/homeys").then().statusCode(201);
        given().contentType("text/plain").post("/api/v1/homeys").then().statusCode(201);
        given().post("/api/v1/homeys").then().statusCode(201);
        given().contentType("application/x-www-form-urlencoded").body("a=b").post(webhook.url()).then().statusCode(200);
    }

    private static void refused(ValidatableResponse response) {
        response.statusCode(403).contentType("application/problem+json").body("code", equalTo("csrf_failed"));
    }

    private static void refusedPage(ValidatableResponse response) {
        response.statusCode(403).contentType("text/html");
    }
}
