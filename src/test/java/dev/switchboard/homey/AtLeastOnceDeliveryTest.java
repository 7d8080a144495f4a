package dev.switchboard.homey;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.Eventually;
import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** Offline Homeys, missing acknowledgements and replaced sockets, over real WebSockets. */
@QuarkusTest
class AtLeastOnceDeliveryTest {

    @Test
    void anOfflineHomeyGetsItsMessagesInOrderWhenItComesBack() {
        Webhooks webhook = Webhooks.create("alo-a");
        HomeyClient homey = HomeyClient.enroll().connect();
        homey.subscribe(webhook.id, webhook.secret, "{}");
        homey.close();

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(given().contentType("application/json").body("{\"n\":" + i + "}")
                    .post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200).extract().path("deliveryId"));
        }

        homey.connect();
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonNode message = homey.nextMessage();
            assertEquals(i, message.at("/body/n").asInt());
            received.add(message.get("id").asText());
        }
        assertEquals(sent, received);
        homey.expectNothing(Duration.ofMillis(500));
        homey.close();
    }

    @Test
    void aMessageNotAcknowledgedIsSentAgainOnReconnect() {
        Webhooks webhook = Webhooks.create("alo-b");
        HomeyClient homey = HomeyClient.enroll().connect();
        homey.subscribe(webhook.id, webhook.secret, "{}");
        String id = given().post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200).extract().path("deliveryId");
        assertEquals(id, homey.next().get("id").asText());
        homey.close();

        homey.connect();
        JsonNode again = homey.nextMessage();
        assertEquals(id, again.get("id").asText());
        // The ack is written asynchronously; once it is, a new connection gets nothing more.
        Eventually.until("the ack is recorded", () -> as("alo-b").get("/api/v1/webhooks/" + webhook.id + "/registrations")
                .then().extract().jsonPath().getInt("find { it.homeyId == '" + homey.homeyId + "' }.pending") == 0);
        homey.close();

        homey.connect();
        homey.expectNothing(Duration.ofMillis(700));
        homey.close();
    }

    @Test
    void anAckIsAnAckHoweverItsJsonIsWritten() {
        Webhooks webhook = Webhooks.create("alo-ack-forms");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            List<String> forms = List.of("{\"type\":\"ack\",\"id\":\"%s\"}", "{ \"type\": \"ack\", \"id\": \"%s\" }",
                    "{\"id\":\"%s\",\"type\":\"ack\"}", "{\"type\":\"ack\",\"id\":\"%s\",\"note\":\"extra\"}");
            for (String form : forms) {
                String id = given().post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200)
                        .extract().path("deliveryId");
                assertEquals(id, homey.nextMessage().get("id").asText());
                homey.sendText(form.formatted(id));
            }
            // %test resends after 2 s what was not acknowledged: nothing comes back, and nothing is left pending.
            homey.expectNothing(Duration.ofSeconds(3));
            Eventually.until("every ack is recorded", () -> as("alo-ack-forms").get("/api/v1/webhooks/" + webhook.id
                    + "/registrations").then().extract().jsonPath()
                    .getInt("find { it.homeyId == '" + homey.homeyId + "' }.pending") == 0);
        }
    }

    @Test
    void aMessageNotAcknowledgedIsSentAgainAfterTheAckTimeout() {
        Webhooks webhook = Webhooks.create("alo-c");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            String id = given().post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200).extract().path("deliveryId");
            assertEquals(id, homey.next().get("id").asText());
            // %test sets the ack timeout to 2 s
            assertEquals(id, homey.next(Duration.ofSeconds(10)).get("id").asText());
        }
    }

    @Test
    void badCredentialsAreClosedWith4401AndReceiveNothing() {
        Webhooks webhook = Webhooks.create("alo-d");
        HomeyClient real = HomeyClient.enroll().connect();
        real.subscribe(webhook.id, webhook.secret, "{}");
        real.close();
        given().post(webhook.url() + "?homey=" + real.homeyId).then().statusCode(200);

        HomeyClient impostor = HomeyClient.withCredentials(real.homeyId, "wrong-key").open();
        impostor.send(frame("{\"type\":\"hello\",\"homeyId\":\"" + real.homeyId + "\",\"homeyKey\":\"wrong-key\"}"));
        assertEquals(4401, impostor.awaitClose(Duration.ofSeconds(5)));
        assertEquals(List.of(), impostor.drain());
    }

    @Test
    void aSecondSocketReplacesTheFirst() {
        HomeyClient first = HomeyClient.enroll().connect();
        HomeyClient second = HomeyClient.withCredentials(first.homeyId, first.homeyKey).connect();
        assertEquals(4409, first.awaitClose(Duration.ofSeconds(5)));
        second.close();
    }

    @Test
    void subscribeErrorsNameTheProblem() {
        Webhooks webhook = Webhooks.create("alo-e");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.send(frame("{\"type\":\"subscribe\",\"webhookId\":\"" + webhook.id + "\",\"secret\":\"nope\",\"data\":{}}"));
            assertEquals("invalid_secret", homey.next().get("code").asText());
            homey.send(frame("{\"type\":\"subscribe\",\"webhookId\":\"ffffffffffffffffffffffff\",\"secret\":\"x\"}"));
            assertEquals("webhook_not_found", homey.next().get("code").asText());
            homey.send(frame("{\"type\":\"subscribe\",\"webhookId\":\"" + webhook.id + "\",\"secret\":\"" + webhook.secret
                    + "\",\"data\":[1]}"));
            JsonNode invalid = homey.next();
            assertEquals("invalid_data", invalid.get("code").asText());
            assertEquals(webhook.id, invalid.get("webhookId").asText());
        }
    }

    @Test
    void unsubscribeStopsDeliveryAndRegistrationsOutliveTheSocket() {
        Webhooks webhook = Webhooks.create("alo-f").keyPath("body.k");
        HomeyClient homey = HomeyClient.enroll().connect();
        homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"x\"}");
        homey.close();
        homey.connect();
        given().contentType("application/json").body("{\"k\":\"x\"}").post(webhook.url()).then().statusCode(200);
        homey.nextMessage();
        homey.send(frame("{\"type\":\"unsubscribe\",\"webhookId\":\"" + webhook.id + "\"}"));
        assertEquals("unsubscribed", homey.next().get("type").asText());
        given().contentType("application/json").body("{\"k\":\"x\"}").post(webhook.url()).then().statusCode(200);
        homey.expectNothing(Duration.ofMillis(700));
        homey.close();
    }

    static JsonNode frame(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
