package dev.switchboard.homey.api;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.Eventually;
import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** {@code /api/v1/webhooks/{id}/registrations}: what the owner sees of registrations, and removing one. */
@QuarkusTest
class RegistrationApiTest {

    @Test
    void listsEachRegistrationWithItsDataConnectionAndWaitingMessages() {
        Webhooks webhook = Webhooks.create("reg-list").keyPath("body.device");
        HomeyClient homey = HomeyClient.enroll().connect();
        homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"lamp-1\",\"room\":\"hall\"}");

        String url = "/api/v1/webhooks/" + webhook.id + "/registrations";
        as("reg-list").get(url).then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].homeyId", equalTo(homey.homeyId))
                .body("[0].data.room", equalTo("hall"))
                .body("[0].data.'$key'", equalTo("lamp-1"))
                .body("[0].online", is(true))
                .body("[0].lastSeenAt", notNullValue())
                .body("[0].pending", is(0))
                .body("[0].createdAt", notNullValue())
                .body("[0].updatedAt", notNullValue())
                .body("[0].testHomey", is(false));

        homey.close();
        Eventually.until("the Homey shows offline", () -> !as("reg-list").get(url).then().extract().<Boolean> path("[0].online"));
        given().contentType("application/json").body("{\"device\":\"lamp-1\"}").post(webhook.url()).then().statusCode(200);
        as("reg-list").get(url).then().body("[0].pending", is(1));

        as("reg-list").get(url + "/" + homey.homeyId).then().statusCode(200).body("homeyId", equalTo(homey.homeyId));
    }

    @Test
    void anotherDevelopersWebhookIs404AndItsRegistrationsStayPut() {
        Webhooks webhook = Webhooks.create("reg-owner").keyPath("body.device");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"x\"}");
            String url = "/api/v1/webhooks/" + webhook.id + "/registrations";

            webhookNotFound(as("reg-intruder").get(url).then());
            webhookNotFound(as("reg-intruder").get(url + "/" + homey.homeyId).then());
            webhookNotFound(as("reg-intruder").delete(url + "/" + homey.homeyId).then());

            as("reg-owner").get(url).then().statusCode(200).body("homeyId", equalTo(List.of(homey.homeyId)));
            given().contentType("application/json").body("{\"device\":\"x\"}").post(webhook.url()).then().statusCode(200);
            assertEquals("x", homey.nextMessage().at("/body/device").asText());
        }
    }

    @Test
    void removingARegistrationStopsRoutingToItAtOnce() {
        Webhooks webhook = Webhooks.create("reg-remove").keyPath("body.device");
        HomeyClient removed = HomeyClient.enroll().connect();
        HomeyClient kept = HomeyClient.enroll().connect();
        removed.subscribe(webhook.id, webhook.secret, "{\"$key\":\"lamp\"}");
        kept.subscribe(webhook.id, webhook.secret, "{\"$key\":\"lamp\"}");
        String url = "/api/v1/webhooks/" + webhook.id + "/registrations";

        as("reg-remove").delete(url + "/" + removed.homeyId).then().statusCode(204);

        as("reg-remove").get(url).then().body("homeyId", equalTo(List.of(kept.homeyId)));
        as("reg-remove").get(url + "/" + removed.homeyId).then().statusCode(404)
                .contentType("application/problem+json").body("code", equalTo("registration_not_found"));
        as("reg-remove").delete(url + "/" + removed.homeyId).then().statusCode(404)
                .body("code", equalTo("registration_not_found"));

        // Both rules that could still name the removed Homey now reach nobody for it; the other keeps receiving.
        given().contentType("application/json").body("{\"device\":\"lamp\"}").post(webhook.url()).then().statusCode(200);
        given().post(webhook.url() + "?homey=" + removed.homeyId).then().statusCode(200);
        given().contentType("application/json").body("{\"device\":\"lamp\",\"n\":2}").post(webhook.url()).then().statusCode(200);
        JsonNode first = kept.nextMessage();
        JsonNode second = kept.nextMessage();
        assertEquals(2, second.at("/body/n").asInt(), "kept Homey got " + first + " then " + second);
        // The removed Homey's messages would have been pushed alongside: nothing followed.
        removed.expectNothing(Duration.ofMillis(300));
        removed.close();
        kept.close();
    }

    @Test
    void removingTheOnlyRegistrationLeavesSendersReachingNobody() {
        Webhooks webhook = Webhooks.create("reg-only").keyPath("body.device");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$keys\":[\"abc\"]}");
            as("reg-only").delete("/api/v1/webhooks/" + webhook.id + "/registrations/" + homey.homeyId)
                    .then().statusCode(204);
            given().contentType("application/json").body("{\"device\":\"abc\"}").post(webhook.url())
                    .then().statusCode(200).body("status", equalTo("accepted"));
            homey.expectNothing(Duration.ofMillis(700));
            as("reg-only").get("/api/v1/webhooks/" + webhook.id + "/registrations").then().body("$", hasSize(0));
        }
    }

    @Test
    void pagesByHomeyIdWithALinkToTheNextPage() {
        Webhooks webhook = Webhooks.create("reg-pages");
        for (int i = 0; i < 3; i++) {
            try (HomeyClient homey = HomeyClient.enroll().connect()) {
                homey.subscribe(webhook.id, webhook.secret, "{}");
            }
        }
        String url = "/api/v1/webhooks/" + webhook.id + "/registrations";
        var first = as("reg-pages").get(url + "?limit=2").then().statusCode(200).body("$", hasSize(2))
                .header("Link", containsString("rel=\"next\"")).extract();
        String next = first.header("Link").replaceAll("^<([^>]+)>.*$", "$1");
        List<String> firstIds = first.path("homeyId");
        List<String> secondIds = as("reg-pages").get(next).then().statusCode(200).header("Link", nullValue())
                .extract().path("homeyId");
        assertEquals(1, secondIds.size());
        assertTrue(firstIds.get(0).compareTo(firstIds.get(1)) < 0 && firstIds.get(1).compareTo(secondIds.get(0)) < 0,
                "ordered by homeyId: " + firstIds + " then " + secondIds);
        as("reg-pages").get(url + "?limit=0").then().statusCode(422).body("errors[0].field", equalTo("limit"));
        as("reg-pages").get(url + "?after=nope").then().statusCode(422).body("errors[0].field", equalTo("after"));
        as("reg-pages").get(url).then().body("$", hasSize(3)).header("Link", nullValue());
    }

    @Test
    void theOpenApiDocumentDescribesTheNewEndpointsButNotThePages() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/webhooks/{id}/registrations/{homeyId}:"))
                .body(containsString("/api/v1/test-homeys/{homeyId}/credentials:"))
                .body(not(containsString("/simulator")));
    }

    private static void webhookNotFound(ValidatableResponse response) {
        response.statusCode(404).contentType("application/problem+json").body("code", equalTo("webhook_not_found"));
    }
}
