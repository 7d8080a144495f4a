package dev.switchboard.it;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.Eventually;
import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A sender's request through the packaged app to a Homey's socket and back: enrollment, hello, subscribe, the
 * message frame, the ack, and the delivery log showing it acknowledged.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedApp.class)
class ForwardingIT {

    @Test
    void senderToHomeyAndAck() {
        Webhooks webhook = Webhooks.create("it-fwd").keyPath("body.device_id");
        try (HomeyClient homey = HomeyClient.enroll().connect(); HomeyClient other = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$keys\":[\"aaabbbccc\"]}");
            other.subscribe(webhook.id, webhook.secret, "{\"$key\":\"zzz\"}");

            String body = "{\"device_id\":\"aaabbbccc\",\"turned_on\":true}";
            String deliveryId = given().contentType("application/json").header("X-Device-Id", "aaa").body(body)
                    .post(webhook.url() + "?site=garden").then().statusCode(200)
                    .extract().path("deliveryId");

            JsonNode message = homey.nextMessage(); // acknowledges it
            assertEquals(deliveryId, message.get("id").asText());
            assertEquals(webhook.id, message.get("webhookId").asText());
            assertEquals("POST", message.get("method").asText());
            assertEquals("aaa", message.at("/headers/x-device-id").asText());
            assertEquals("garden", message.at("/query/site").asText());
            assertEquals(true, message.at("/body/turned_on").asBoolean());
            assertEquals(body, new String(Base64.getDecoder().decode(message.get("rawBody").asText())));
            other.expectNothing(Duration.ofMillis(500));

            String url = "/api/v1/webhooks/" + webhook.id + "/deliveries/" + deliveryId;
            Eventually.until("the log shows the ack", () -> "acked".equals(
                    as(webhook.owner).get(url).then().statusCode(200).extract().path("targets[0].state")));
            as(webhook.owner).get(url).then().statusCode(200)
                    .body("routedBy", org.hamcrest.Matchers.equalTo("key_path"))
                    .body("targets[0].homeyId", org.hamcrest.Matchers.equalTo(homey.homeyId));
        }
    }

    @Test
    void unknownWebhookIsProblemJson() {
        given().post("/webhook/000000000000000000000000").then().statusCode(404)
                .contentType("application/problem+json")
                .body("code", org.hamcrest.Matchers.equalTo("webhook_not_found"));
    }
}
