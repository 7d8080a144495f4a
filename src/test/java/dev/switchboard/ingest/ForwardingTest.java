package dev.switchboard.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The seed's three routing options end to end: real HTTP in, real WebSockets out. */
@QuarkusTest
class ForwardingTest {

    static final Duration QUIET = Duration.ofMillis(700);

    @Test
    void homeyQueryParameterDeliversToThatHomeyOnly() {
        Webhooks webhook = Webhooks.create("fwd-a");
        try (HomeyClient one = HomeyClient.enroll().connect(); HomeyClient two = HomeyClient.enroll().connect()) {
            one.subscribe(webhook.id, webhook.secret, "{}");
            two.subscribe(webhook.id, webhook.secret, "{}");

            String deliveryId = given().contentType("application/json").body("{\"device_id\":\"aaabbbccc\",\"turned_on\":true}")
                    .post(webhook.url() + "?homey=" + one.homeyId)
                    .then().statusCode(200)
                    .body("status", equalTo("accepted"))
                    .body("deliveryId", matchesPattern("[0-9a-f]{24}"))
                    .extract().path("deliveryId");

            JsonNode message = one.nextMessage();
            assertEquals(deliveryId, message.get("id").asText());
            assertEquals(webhook.id, message.get("webhookId").asText());
            assertEquals("POST", message.get("method").asText());
            assertEquals("aaabbbccc", message.at("/body/device_id").asText());
            assertEquals(true, message.at("/body/turned_on").asBoolean());
            assertEquals(one.homeyId, message.at("/query/homey").asText());
            two.expectNothing(QUIET);
        }
    }

    @Test
    void homeyQueryForAnUnregisteredHomeyReachesNobodyButIsAccepted() {
        Webhooks webhook = Webhooks.create("fwd-b");
        try (HomeyClient stranger = HomeyClient.enroll().connect()) {
            given().post(webhook.url() + "?homey=" + stranger.homeyId).then().statusCode(200).body("status", equalTo("accepted"));
            stranger.expectNothing(QUIET);
        }
    }

    @Test
    void headerKeyPathMatchesKeysAndNothingElse() {
        Webhooks webhook = Webhooks.create("fwd-c").keyPath("headers['X-Device-Id']");
        try (HomeyClient homey = HomeyClient.enroll().connect(); HomeyClient other = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$keys\":[\"aaa\",\"bbb\"]}");
            other.subscribe(webhook.id, webhook.secret, "{\"$key\":\"zzz\"}");

            given().header("X-Device-Id", "aaa").contentType("application/json").body("{\"turned_on\":true}")
                    .post(webhook.url()).then().statusCode(200);
            JsonNode message = homey.nextMessage();
            assertEquals("aaa", message.at("/headers/x-device-id").asText());
            assertEquals("application/json", message.at("/headers/content-type").asText().replaceAll(";.*", ""));

            given().header("X-Device-Id", "bbb").post(webhook.url()).then().statusCode(200);
            homey.nextMessage();

            given().header("X-Device-Id", "ccc").post(webhook.url()).then().statusCode(200);
            homey.expectNothing(QUIET);
            other.expectNothing(Duration.ZERO);
        }
    }

    @Test
    void bodyKeyPathMatchesLikewise() {
        Webhooks webhook = Webhooks.create("fwd-d").keyPath("body['X-Device-Id']");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$keys\":[\"aaa\",\"bbb\"]}");
            given().header("X-Device-Id", "aaa").contentType("application/json")
                    .body("{\"X-Device-Id\":\"bbb\",\"turned_on\":true}").post(webhook.url()).then().statusCode(200);
            assertEquals("bbb", homey.nextMessage().at("/body/X-Device-Id").asText());
            given().contentType("application/json").body("{\"X-Device-Id\":\"ccc\"}").post(webhook.url())
                    .then().statusCode(200);
            homey.expectNothing(QUIET);
        }
    }

    @Test
    void legacyFunctionDeliversToExactlyTheHomeysItReturnsTrueFor() {
        Webhooks webhook = Webhooks.create("fwd-e")
                .legacyFunction("return homey_data.deviceId === webhook_data.device_id;");
        try (HomeyClient match = HomeyClient.enroll().connect(); HomeyClient miss = HomeyClient.enroll().connect()) {
            match.subscribe(webhook.id, webhook.secret, "{\"deviceId\":\"aaabbbccc\"}");
            miss.subscribe(webhook.id, webhook.secret, "{\"deviceId\":\"other\"}");
            given().contentType("application/json").body("{\"device_id\":\"aaabbbccc\",\"turned_on\":true}")
                    .post(webhook.url()).then().statusCode(200);
            assertEquals("aaabbbccc", match.nextMessage().at("/body/device_id").asText());
            miss.expectNothing(QUIET);
        }
    }

    @Test
    void everyMatchingHomeyReceivesIt() {
        Webhooks webhook = Webhooks.create("fwd-f").keyPath("body.site");
        HomeyClient[] fleet = { HomeyClient.enroll().connect(), HomeyClient.enroll().connect(),
                HomeyClient.enroll().connect() };
        try {
            for (HomeyClient homey : fleet) {
                homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"garden\"}");
            }
            given().contentType("application/json").body("{\"site\":\"garden\"}").post(webhook.url())
                    .then().statusCode(200);
            for (HomeyClient homey : fleet) {
                assertEquals("garden", homey.nextMessage().at("/body/site").asText());
            }
        } finally {
            for (HomeyClient homey : fleet) {
                homey.close();
            }
        }
    }

    @Test
    void unknownWebhookIs404() {
        given().post("/webhook/ffffffffffffffffffffffff").then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("webhook_not_found"));
        given().get("/webhook/not-hex").then().statusCode(404).body("code", equalTo("webhook_not_found"));
    }

    @Test
    void trailingSlashAndEveryMethodAreAccepted() {
        Webhooks webhook = Webhooks.create("fwd-g");
        for (String method : new String[] { "GET", "POST", "PUT", "PATCH", "DELETE" }) {
            given().request(method, webhook.url() + "/").then().statusCode(200);
        }
        given().request("OPTIONS", webhook.url()).then().statusCode(405);
    }

    @Test
    void aSenderAskingForGzipGetsThePlainAnswer() throws Exception {
        Webhooks webhook = Webhooks.create("fwd-h");
        // java.net.http does not decompress by itself: what it returns is what went over the wire.
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + RestAssured.port + webhook.url()))
                .header("Accept-Encoding", "gzip, deflate, br").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"device_id\":\"aaa\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode());
        assertEquals(Optional.empty(), answer.headers().firstValue("Content-Encoding"));
        assertTrue(answer.body().matches("\\{\"status\":\"accepted\",\"deliveryId\":\"[0-9a-f]{24}\"}"),
                answer.body());
    }
}
