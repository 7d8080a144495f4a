package dev.switchboard.delivery.api;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.PortalForms;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** The delivery log through the management API: owner scoping, cursor paging, filters, redaction and replay. */
@QuarkusTest
class DeliveryApiTest {

    @Test
    void everyLogEndpointIs404ForSomeoneElsesWebhook() {
        Webhooks alices = Webhooks.create("log-alice");
        String deliveryId = post(alices, "{\"device\":\"a\"}");
        String base = "/api/v1/webhooks/" + alices.id + "/deliveries";

        webhookNotFound(as("log-bob").get(base).then());
        webhookNotFound(as("log-bob").get(base + "?outcome=bogus").then());
        webhookNotFound(as("log-bob").get(base + "/" + deliveryId).then());
        webhookNotFound(as("log-bob").get(base + "/" + deliveryId + "/fixture.json").then());
        webhookNotFound(as("log-bob").post(base + "/" + deliveryId + "/replay").then());

        // Bob's own webhook does not reach Alice's deliveries either.
        Webhooks bobs = Webhooks.create("log-bob");
        String bobsBase = "/api/v1/webhooks/" + bobs.id + "/deliveries";
        deliveryNotFound(as("log-bob").get(bobsBase + "/" + deliveryId).then());
        deliveryNotFound(as("log-bob").get(bobsBase + "/" + deliveryId + "/fixture.json").then());
        deliveryNotFound(as("log-bob").post(bobsBase + "/" + deliveryId + "/replay").then());
        deliveryNotFound(as("log-bob").get(bobsBase + "/not-a-delivery-id").then());
        as("log-bob").get(bobsBase).then().statusCode(200).body("items", org.hamcrest.Matchers.empty());

        PortalForms bob = PortalForms.signIn("log-bob");
        String page = "/webhooks/" + alices.id + "/deliveries";
        bob.page().get(page).then().statusCode(404).body(not(containsString(deliveryId)));
        bob.page().get(page + "/" + deliveryId).then().statusCode(404);
        bob.page().accept("text/event-stream").get(page + "/live").then().statusCode(404);
        bob.form().post(page + "/" + deliveryId + "/replay").then().statusCode(404);
        bob.page().get("/webhooks/" + bobs.id + "/deliveries/" + deliveryId).then().statusCode(404)
                .body(containsString("no such delivery"));

        // Nothing was replayed into Alice's log.
        as("log-alice").get(base).then().statusCode(200).body("items.size()", equalTo(1));
    }

    @Test
    void cursorPagingReturnsEveryDeliveryExactlyOnceNewestFirst() {
        Webhooks webhook = Webhooks.create("log-pager");
        Set<String> posted = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            posted.add(post(webhook, "{\"n\":" + i + "}"));
        }
        List<String> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = as(webhook.owner).queryParam("limit", 5)
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/api/v1/webhooks/" + webhook.id + "/deliveries").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.id");
            seen.addAll(ids);
            pageSizes.add(ids.size());
            cursor = page.getString("nextCursor");
        } while (cursor != null && pageSizes.size() < 20);

        assertEquals(List.of(5, 5, 5, 5, 3), pageSizes);
        assertEquals(posted, new HashSet<>(seen), "every delivery once");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no delivery twice");
        // Newest first: (received_at, id) descending, and an ID starts with its receive time.
        List<String> newestFirst = new ArrayList<>(posted);
        newestFirst.sort(Comparator.reverseOrder());
        assertEquals(newestFirst, seen);
    }

    @Test
    void filtersNarrowTheLogAndInvalidValuesAre422NamingTheField() {
        Webhooks webhook = Webhooks.create("log-filters").keyPath("body.device");
        String homeyId;
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"lamp\"}");
            homeyId = homey.homeyId;
        }
        // The Homey is offline from here on: what it matches stays pending.
        String keyed = post(webhook, "{\"device\":\"lamp\",\"note\":\"hello world\"}");
        String unmatched = post(webhook, "{\"device\":\"fridge\",\"note\":\"Hello again\"}");
        String named = given().contentType("text/plain").body("plain text").post(webhook.url() + "?homey=" + homeyId)
                .then().statusCode(200).extract().path("deliveryId");
        String base = "/api/v1/webhooks/" + webhook.id + "/deliveries";

        assertEquals(List.of(named, unmatched, keyed), ids(webhook, ""));
        assertEquals(List.of(named, keyed), ids(webhook, "?outcome=pending"));
        assertEquals(List.of(unmatched), ids(webhook, "?outcome=no_match"));
        assertEquals(List.of(), ids(webhook, "?outcome=acked"));
        assertEquals(List.of(named), ids(webhook, "?rule=homey_query"));
        assertEquals(List.of(unmatched, keyed), ids(webhook, "?rule=key_path"));
        assertEquals(List.of(named, keyed), ids(webhook, "?homeyId=" + homeyId));
        assertEquals(List.of(keyed), ids(webhook, "?q=hello"));
        assertEquals(List.of(unmatched), ids(webhook, "?q=Hello"));
        assertEquals(List.of(named), ids(webhook, "?q=plain&outcome=pending&rule=homey_query"));

        JsonPath all = as(webhook.owner).get(base).then().extract().jsonPath();
        Instant middle = Instant.parse(all.getString("items[1].receivedAt"));
        List<String> fromMiddle = new ArrayList<>();
        List<String> beforeMiddle = new ArrayList<>();
        for (Map<String, Object> item : all.<Map<String, Object>>getList("items")) {
            (Instant.parse((String) item.get("receivedAt")).isBefore(middle) ? beforeMiddle : fromMiddle)
                    .add((String) item.get("id"));
        }
        assertEquals(fromMiddle, ids(webhook, "?from=" + middle));
        assertEquals(beforeMiddle, ids(webhook, "?to=" + middle));
        assertEquals(List.of(), ids(webhook, "?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z"));

        JsonPath item = as(webhook.owner).get(base + "?rule=key_path&outcome=pending").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("pending", item.getString("items[0].outcome"));
        assertEquals(1, item.getInt("items[0].matched"));
        assertEquals(1, item.getInt("items[0].targets.pending"));
        assertEquals("key_path", item.getString("items[0].routedBy"));
        assertNull(item.getString("nextCursor"));

        as(webhook.owner).get(base + "?outcome=bogus&rule=magic&homeyId=XYZ&from=yesterday&to=soon&limit=0&cursor=!!")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("invalid_input"))
                .body("errors.field", hasItems("outcome", "rule", "homeyId", "from", "to", "limit", "cursor"));
        as(webhook.owner).get(base + "?limit=201").then().statusCode(422).body("errors[0].field", equalTo("limit"));
        as(webhook.owner).get(base + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").then().statusCode(422)
                .body("errors[0].field", equalTo("to"));
        as(webhook.owner).get(base + "?q=" + "x".repeat(201)).then().statusCode(422).body("errors[0].field", equalTo("q"));
    }

    @Test
    void detailRedactsCredentialsAndShowsTheRequestAsHomeysGetIt() {
        Webhooks webhook = Webhooks.create("log-detail");
        byte[] body = "{\"device\":\"lamp\",\"on\":true}".getBytes(StandardCharsets.UTF_8);
        String deliveryId = given().header("Authorization", "Bearer sender-secret-token")
                .header("Cookie", "session=cookie-secret").header("X-Api-Key", "key-secret")
                .header("X-Device-Id", "lamp-1").contentType("application/json").body(body)
                .post(webhook.url() + "?a=1&a=2&b=x").then().statusCode(200).extract().path("deliveryId");

        String url = "/api/v1/webhooks/" + webhook.id + "/deliveries/" + deliveryId;
        String json = as(webhook.owner).get(url).then().statusCode(200)
                .body("id", equalTo(deliveryId))
                .body("webhookId", equalTo(webhook.id))
                .body("method", equalTo("POST"))
                .body("headers.authorization", equalTo("[redacted]"))
                .body("headers.cookie", equalTo("[redacted]"))
                .body("headers.x-api-key", equalTo("[redacted]"))
                .body("headers.x-device-id", equalTo("lamp-1"))
                .body("query.a", equalTo(List.of("1", "2")))
                .body("query.b", equalTo("x"))
                .body("rawQuery", equalTo("a=1&a=2&b=x"))
                .body("bodyKind", equalTo("json"))
                .body("body.device", equalTo("lamp"))
                .body("body.on", equalTo(true))
                .body("rawBody", equalTo(Base64.getEncoder().encodeToString(body)))
                .body("size", equalTo(body.length))
                .body("routedBy", equalTo("no_match"))
                .body("ruleExplanation", containsString("nobody received it"))
                .body("matched", equalTo(0))
                .body("targets", org.hamcrest.Matchers.empty())
                .body("replayOf", nullValue())
                .extract().asString();
        assertSecretsAbsent(json);

        String fixture = as(webhook.owner).get(url + "/fixture.json").then().statusCode(200)
                .header("Content-Disposition", containsString("delivery-" + deliveryId + ".json"))
                .body("type", equalTo("message"))
                .body("id", equalTo(deliveryId))
                .body("headers.authorization", equalTo("[redacted]"))
                .body("headers.x-device-id", equalTo("lamp-1"))
                .body("body.device", equalTo("lamp"))
                .body("rawBody", equalTo(Base64.getEncoder().encodeToString(body)))
                .extract().asString();
        assertSecretsAbsent(fixture);

        String page = PortalForms.signIn("log-detail").page().get("/webhooks/" + webhook.id + "/deliveries/" + deliveryId)
                .then().statusCode(200)
                .body(containsString("[redacted]"))
                .body(containsString("lamp-1"))
                .body(containsString("curl -X POST"))
                .body(containsString("Left out:"))
                .extract().asString();
        assertSecretsAbsent(page);
    }

    @Test
    void replayIsRoutedByTheCurrentSettingsRecordedAsANewLinkedDeliveryAndReachesAConnectedHomey() {
        Webhooks webhook = Webhooks.create("log-replay");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"lamp\"}");
            // No key path yet: the request reaches nobody.
            String original = post(webhook, "{\"device\":\"lamp\"}");
            homey.expectNothing(java.time.Duration.ofMillis(500));

            webhook.keyPath("body.device");
            String base = "/api/v1/webhooks/" + webhook.id + "/deliveries";
            String replay = as(webhook.owner).post(base + "/" + original + "/replay").then().statusCode(200)
                    .header("Location", containsString(base + "/"))
                    .body("status", equalTo("accepted"))
                    .body("replayOf", equalTo(original))
                    .extract().path("deliveryId");
            assertNotEquals(original, replay);

            JsonNode message = homey.nextMessage();
            assertEquals(replay, message.get("id").asText());
            assertEquals("lamp", message.at("/body/device").asText());

            as(webhook.owner).get(base + "/" + replay).then().statusCode(200)
                    .body("replayOf", equalTo(original))
                    .body("routedBy", equalTo("key_path"))
                    .body("matched", equalTo(1))
                    .body("targets[0].homeyId", equalTo(homey.homeyId))
                    .body("ruleExplanation", containsString("\"lamp\""));
            as(webhook.owner).get(base).then().statusCode(200)
                    .body("items.id", equalTo(List.of(replay, original)))
                    .body("items[0].replayOf", equalTo(original));

            // The portal's Replay button does the same and shows the new delivery.
            PortalForms owner = PortalForms.signIn(webhook.owner);
            String location = owner.form().post("/webhooks/" + webhook.id + "/deliveries/" + original + "/replay")
                    .then().statusCode(303).extract().header("Location");
            assertTrue(location.matches(".*/webhooks/" + webhook.id + "/deliveries/[0-9a-f]{24}\\?done=replayed"), location);
            String again = location.replaceAll(".*/deliveries/([0-9a-f]{24}).*", "$1");
            assertEquals(again, homey.nextMessage().get("id").asText());
            owner.page().get(location).then().statusCode(200).body(containsString("Replay of"))
                    .body(containsString(original));
        }
    }

    @Test
    void replayingALegacyFunctionWebhookRunsTheFunctionAgain() {
        Webhooks webhook = Webhooks.create("log-legacy")
                .legacyFunction("return homey_data.deviceId === webhook_data.device_id;");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"deviceId\":\"lamp\"}");
            String original = post(webhook, "{\"device_id\":\"lamp\"}");
            assertEquals(original, homey.nextMessage().get("id").asText());

            String base = "/api/v1/webhooks/" + webhook.id + "/deliveries";
            String replay = as(webhook.owner).post(base + "/" + original + "/replay").then().statusCode(200)
                    .extract().path("deliveryId");
            assertEquals(replay, homey.nextMessage().get("id").asText());
            as(webhook.owner).get(base + "/" + replay).then().statusCode(200)
                    .body("routedBy", equalTo("legacy_function"))
                    .body("ruleDetail.results[0].outcome", equalTo("matched"))
                    .body("ruleExplanation", containsString("1 returned true"));
        }
    }

    @Test
    void theApiIsInTheOpenApiDocumentAndThePagesAreNot() {
        String openapi = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        for (String path : List.of("/api/v1/webhooks/{id}/deliveries\"", "/api/v1/webhooks/{id}/deliveries/{deliveryId}\"",
                "/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay\"",
                "/api/v1/webhooks/{id}/deliveries/{deliveryId}/fixture.json\"")) {
            assertTrue(openapi.contains("\"" + path), path);
        }
        assertTrue(!openapi.contains("/deliveries/live"), "pages stay out of the API document");
    }

    @Test
    void theListPageReadsWithoutJavaScript() {
        Webhooks webhook = Webhooks.create("log-page");
        String deliveryId = post(webhook, "{\"device\":\"a\"}");
        PortalForms owner = PortalForms.signIn(webhook.owner);
        owner.page().get("/webhooks/" + webhook.id + "/deliveries").then().statusCode(200)
                .body(containsString("id=\"delivery-" + deliveryId + "\""))
                .body(containsString("no match"))
                .body(containsString("Last 24 hours"))
                .body(containsString("sse-connect=\"/webhooks/" + webhook.id + "/deliveries/live\""));
        owner.page().get("/webhooks/" + webhook.id + "/deliveries?outcome=bogus").then().statusCode(422)
                .body(containsString("must be one of"));
        owner.page().get("/webhooks/" + webhook.id + "/deliveries?outcome=acked").then().statusCode(200)
                .body(not(containsString("id=\"delivery-" + deliveryId + "\"")))
                .body(containsString("No deliveries match these filters"));
    }

    static String post(Webhooks webhook, String json) {
        return given().contentType("application/json").body(json).post(webhook.url()).then().statusCode(200)
                .extract().path("deliveryId");
    }

    private static List<String> ids(Webhooks webhook, String query) {
        return as(webhook.owner).get("/api/v1/webhooks/" + webhook.id + "/deliveries" + query).then().statusCode(200)
                .extract().jsonPath().getList("items.id");
    }

    private static void assertSecretsAbsent(String text) {
        for (String secret : List.of("sender-secret-token", "cookie-secret", "key-secret")) {
            assertTrue(!text.contains(secret), "leaked " + secret);
        }
    }

    private static void webhookNotFound(ValidatableResponse response) {
        response.statusCode(404).contentType("application/problem+json").body("code", equalTo("webhook_not_found"));
    }

    private static void deliveryNotFound(ValidatableResponse response) {
        response.statusCode(404).contentType("application/problem+json").body("code", equalTo("delivery_not_found"));
    }
}
