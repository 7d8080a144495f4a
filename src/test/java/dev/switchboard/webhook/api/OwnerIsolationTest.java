package dev.switchboard.webhook.api;

import static dev.switchboard.support.Tokens.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.PortalForms;
import dev.switchboard.support.PortalSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Another developer's webhook is indistinguishable from a missing one, through every API call and page. */
@QuarkusTest
class OwnerIsolationTest {

    String alicesWebhook;
    Map<String, Object> before;

    @BeforeEach
    void aliceOwnsAWebhook() {
        alicesWebhook = WebhookApiTest.create("alice", "Alice's bulbs");
        as("alice").contentType(ContentType.JSON).body("{\"keyPath\":\"body.device\"}")
                .patch("/api/v1/webhooks/" + alicesWebhook).then().statusCode(200);
        before = as("alice").get("/api/v1/webhooks/" + alicesWebhook).then().extract().jsonPath().getMap("$");
    }

    @Test
    void apiAnswers404ForEveryCallOnSomeoneElsesWebhook() {
        String url = "/api/v1/webhooks/" + alicesWebhook;
        notFound(as("bob").get(url).then());
        notFound(as("bob").contentType(ContentType.JSON).body("{\"name\":\"Mine now\"}").patch(url).then());
        notFound(as("bob").contentType(ContentType.JSON).body("{\"keyPath\":\"body.x\"}").patch(url).then());
        notFound(as("bob").post(url + "/rotate-secret").then());
        notFound(as("bob").get(url + "/env.json").then());
        notFound(as("bob").delete(url).then());
        as("bob").get("/api/v1/webhooks").then().statusCode(200).body("id", not(org.hamcrest.Matchers.hasItem(alicesWebhook)));
        assertAliceUnchanged();
    }

    @Test
    void portalAnswers404ForEveryPageAndFormOnSomeoneElsesWebhook() {
        PortalForms bob = PortalForms.signIn("bob");
        String page = "/webhooks/" + alicesWebhook;
        bob.page().get(page).then().statusCode(404).body(not(containsString("Alice")));
        bob.page().get(page + "/delete").then().statusCode(404);
        bob.form().formParam("name", "Mine now").post(page + "/rename").then().statusCode(404);
        bob.form().formParam("keyPath", "body.x").post(page + "/key-path").then().statusCode(404);
        bob.form().formParam("keyPath", "body.x").post(page + "/key-path/check").then().statusCode(404);
        bob.form().post(page + "/rotate-secret").then().statusCode(404);
        bob.form().formParam("confirm", "yes").post(page + "/delete").then().statusCode(404);
        bob.page().get("/webhooks").then().statusCode(200).body(not(containsString(alicesWebhook)));
        assertAliceUnchanged();
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        // A browser session (the code flow signs in alice); bearer-token calls need no CSRF token.
        PortalSession alice = PortalSession.signInAsAlice();
        alice.request().formParam("name", "Forged").post("/webhooks/" + alicesWebhook + "/rename")
                .then().statusCode(403);
        alice.request().formParam("confirm", "yes").post("/webhooks/" + alicesWebhook + "/delete")
                .then().statusCode(403);
        assertAliceUnchanged();
    }

    private void assertAliceUnchanged() {
        as("alice").get("/api/v1/webhooks/" + alicesWebhook).then().statusCode(200)
                .body("name", equalTo(before.get("name")))
                .body("secret", equalTo(before.get("secret")))
                .body("keyPath", equalTo(before.get("keyPath")));
    }

    private static void notFound(ValidatableResponse response) {
        response.statusCode(404).contentType("application/problem+json").body("code", equalTo("webhook_not_found"));
    }
}
