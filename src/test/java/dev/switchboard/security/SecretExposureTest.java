package dev.switchboard.security;

import static dev.switchboard.support.Tokens.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.PortalForms;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12, item 3: a page's HTML holds the webhook secret only once its owner asks to reveal it, and every answer
 * that carries a secret tells caches not to keep it.
 */
@QuarkusTest
class SecretExposureTest {

    @Test
    void theWebhookPageHoldsNoSecretUntilRevealed() {
        Webhooks webhook = Webhooks.create("secret-page");
        PortalForms owner = PortalForms.signIn("secret-page");
        owner.page().get("/webhooks/" + webhook.id).then().statusCode(200)
                .body(not(containsString(webhook.secret)))
                .body(containsString("/webhooks/" + webhook.id + "/reveal-secret"));

        owner.form().post("/webhooks/" + webhook.id + "/reveal-secret").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body(containsString(webhook.secret));
    }

    @Test
    void everyAnswerCarryingASecretSaysNoStore() {
        Webhooks webhook = Webhooks.create("secret-cache");
        String api = "/api/v1/webhooks/" + webhook.id;
        as("secret-cache").get(api + "/env.json").then().statusCode(200)
                .header("Cache-Control", "no-store").body("WEBHOOK_SECRET", equalTo(webhook.secret));
        as("secret-cache").get(api).then().statusCode(200).header("Cache-Control", "no-store");
        as("secret-cache").get("/api/v1/webhooks").then().statusCode(200).header("Cache-Control", "no-store");
        as("secret-cache").body("{\"name\":\"n\"}").post("/api/v1/webhooks").then().statusCode(201)
                .header("Cache-Control", "no-store");
        as("secret-cache").post(api + "/rotate-secret").then().statusCode(200).header("Cache-Control", "no-store");
        as("secret-cache").body("{\"name\":\"m\"}").patch(api).then().statusCode(200)
                .header("Cache-Control", "no-store");
    }
}
