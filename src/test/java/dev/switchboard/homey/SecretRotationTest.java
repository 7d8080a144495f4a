package dev.switchboard.homey;

import static dev.switchboard.support.Tokens.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** Apps in the field still carry the old secret after a rotation: it keeps working for the grace period. */
@QuarkusTest
class SecretRotationTest {

    @Test
    void bothTheNewAndThePreviousSecretSubscribe() {
        Webhooks webhook = Webhooks.create("rotation");
        String fresh = as("rotation").post("/api/v1/webhooks/" + webhook.id + "/rotate-secret")
                .then().statusCode(200).extract().path("secret");
        try (HomeyClient old = HomeyClient.enroll().connect(); HomeyClient updated = HomeyClient.enroll().connect()) {
            old.subscribe(webhook.id, webhook.secret, "{}");
            updated.subscribe(webhook.id, fresh, "{}");
        }
        String newest = as("rotation").post("/api/v1/webhooks/" + webhook.id + "/rotate-secret")
                .then().statusCode(200).extract().path("secret");
        try (HomeyClient stale = HomeyClient.enroll().connect()) {
            stale.send(AtLeastOnceDeliveryTest.frame("{\"type\":\"subscribe\",\"webhookId\":\"" + webhook.id
                    + "\",\"secret\":\"" + webhook.secret + "\",\"data\":{}}"));
            assertEquals("invalid_secret", stale.next().get("code").asText(), "two rotations ago no longer works");
            stale.subscribe(webhook.id, newest, "{}");
        }
    }
}
