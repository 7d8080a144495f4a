package dev.switchboard.portal;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.PortalForms;
import dev.switchboard.support.PortalSession;
import dev.switchboard.support.Tokens;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** The simulator page's server side, as a browser without JavaScript uses it. */
@QuarkusTest
class SimulatorPagesTest {

    @Test
    void enrollingATestHomeySelectsIt() {
        PortalForms sim = PortalForms.signIn("sim-enroll");
        Webhooks webhook = Webhooks.create("sim-enroll");
        String page = "/webhooks/" + webhook.id + "/simulator";
        sim.page().get(page).then().statusCode(200).body(containsString("data-testid=\"no-test-homeys\""));

        String location = sim.form().formParam("label", "Hallway").post(page + "/test-homeys").then().statusCode(303)
                .header("Location", matchesPattern(".*/simulator\\?homey=[0-9a-f]{24}")).extract().header("Location");
        String homeyId = location.replaceAll(".*homey=", "");
        sim.page().get(page + "?homey=" + homeyId).then().statusCode(200)
                .body(containsString("data-homey-id=\"" + homeyId + "\""))
                .body(containsString("Hallway"))
                .body(containsString("data-testid=\"connection-state\""))
                .body(containsString("{&quot;$keys&quot;: []}"))
                .body(containsString("/assets/simulator.js"))
                .body(not(containsString("homeyKey")));
    }

    @Test
    void theDataOfAnExistingRegistrationIsFilledIn() {
        PortalForms sim = PortalForms.signIn("sim-data");
        Webhooks webhook = Webhooks.create("sim-data");
        String page = "/webhooks/" + webhook.id + "/simulator";
        String homeyId = sim.form().post(page + "/test-homeys").then().statusCode(303).extract().header("Location")
                .replaceAll(".*homey=", "");
        String key = Tokens.as("sim-data").get("/api/v1/test-homeys/" + homeyId + "/credentials")
                .then().extract().path("homeyKey");
        try (HomeyClient homey = HomeyClient.withCredentials(homeyId, key).connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$keys\":[\"abc\"]}");
        }
        sim.page().get(page).then().statusCode(200)
                .body(containsString("Registered for this webhook"))
                .body(containsString("&quot;abc&quot;"));
    }

    @Test
    void theKeyPathTesterShowsTheValueAndTheRegistrationsItReaches() {
        PortalForms sim = PortalForms.signIn("sim-keys");
        Webhooks webhook = Webhooks.create("sim-keys");
        try (HomeyClient homey = HomeyClient.enroll().connect(); HomeyClient other = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$keys\":[\"abc\",\"def\"]}");
            other.subscribe(webhook.id, webhook.secret, "{\"$key\":\"zzz\"}");

            String html = tester(sim, webhook, "body.device_id", "{\"device_id\":\"abc\"}", "Content-Type: application/json", "")
                    .post("/webhooks/" + webhook.id + "/simulator/key-path").then().statusCode(200)
                    .body(startsWith("<!doctype html>")).extract().asString();
            assertTrue(html.contains("data-testid=\"key-path-value\">abc</code>"), html);
            assertTrue(html.contains("data-testid=\"key-path-homey\">" + homey.homeyId), html);
            assertFalse(html.contains(other.homeyId), html);

            // Headers are matched case-insensitively; ?homey= decides first, and the tester says so.
            tester(sim, webhook, "headers['X-Device-Id']", "", "x-device-id: zzz", "homey=" + homey.homeyId)
                    .header("HX-Request", "true")
                    .post("/webhooks/" + webhook.id + "/simulator/key-path").then().statusCode(200)
                    .body(startsWith("<form id=\"test-request\""))
                    .body(containsString("data-testid=\"key-path-homey\">" + other.homeyId))
                    .body(containsString("data-testid=\"homey-query-note\""))
                    .body(containsString("it would reach only that Homey"));

            // Without a Content-Type the body is sniffed, as the sender endpoint does.
            tester(sim, webhook, "body.device_id", "{\"device_id\":\"def\"}", "", "")
                    .post("/webhooks/" + webhook.id + "/simulator/key-path").then().statusCode(200)
                    .body(containsString("data-testid=\"key-path-homey\">" + homey.homeyId));

            tester(sim, webhook, "body.missing", "{\"device_id\":\"abc\"}", "Content-Type: application/json", "")
                    .post("/webhooks/" + webhook.id + "/simulator/key-path").then().statusCode(200)
                    .body(containsString("finds <strong>no value</strong>"));
        }
    }

    @Test
    void mistakesShowNextToTheirFields() {
        PortalForms sim = PortalForms.signIn("sim-errors");
        Webhooks webhook = Webhooks.create("sim-errors");
        String url = "/webhooks/" + webhook.id + "/simulator/key-path";
        tester(sim, webhook, "body..x", "{}", "Content-Type: application/json", "").post(url).then().statusCode(422)
                .body(containsString("data-testid=\"test-key-path-error\">"))
                .body(containsString("position 5"))
                .body(containsString("value=\"body..x\""));
        tester(sim, webhook, "body.x", "{}", "Content-Type application/json", "").post(url).then().statusCode(422)
                .body(containsString("Line 1: write it as Name: value"))
                .body(not(containsString("data-testid=\"key-path-result\"")));
        tester(sim, webhook, "", "{}", "", "").header("HX-Request", "true").post(url).then().statusCode(200)
                .body(containsString("Enter a key path to test"));
    }

    @Test
    void anotherDevelopersWebhookAndTestHomeysAre404() {
        Webhooks alices = Webhooks.create("sim-alice");
        PortalForms alice = PortalForms.signIn("sim-alice");
        String alicesHomey = alice.form().post("/webhooks/" + alices.id + "/simulator/test-homeys").then()
                .statusCode(303).extract().header("Location").replaceAll(".*homey=", "");

        PortalForms bob = PortalForms.signIn("sim-bob");
        Webhooks bobs = Webhooks.create("sim-bob");
        String page = "/webhooks/" + alices.id + "/simulator";
        bob.page().get(page).then().statusCode(404).body(containsString("Not found"));
        bob.form().post(page + "/test-homeys").then().statusCode(404);
        tester(bob, alices, "body.x", "{}", "", "").post(page + "/key-path").then().statusCode(404);
        // Bob's own page never offers Alice's test Homey, and cannot delete it.
        bob.page().get("/webhooks/" + bobs.id + "/simulator?homey=" + alicesHomey).then().statusCode(200)
                .body(not(containsString(alicesHomey)));
        bob.form().post("/webhooks/" + bobs.id + "/simulator/test-homeys/" + alicesHomey + "/delete").then()
                .statusCode(404).body(containsString("You have no test Homey with this ID"));
        alice.page().get(page).then().statusCode(200).body(containsString(alicesHomey));
    }

    @Test
    void deletingATestHomeyFromThePage() {
        PortalForms sim = PortalForms.signIn("sim-delete");
        Webhooks webhook = Webhooks.create("sim-delete");
        String page = "/webhooks/" + webhook.id + "/simulator";
        String homeyId = sim.form().post(page + "/test-homeys").then().statusCode(303).extract().header("Location")
                .replaceAll(".*homey=", "");
        sim.form().post(page + "/test-homeys/" + homeyId + "/delete").then().statusCode(303);
        sim.page().get(page).then().statusCode(200).body(not(containsString(homeyId)));
    }

    @Test
    void theTesterNeedsTheCsrfToken() {
        // A browser session (the code flow signs in alice); bearer-token calls need no CSRF token.
        PortalSession sim = PortalSession.signInAsAlice();
        Webhooks webhook = Webhooks.create("alice");
        sim.request().formParam("keyPath", "body.x").formParam("body", "{}")
                .post("/webhooks/" + webhook.id + "/simulator/key-path").then().statusCode(403);
        sim.request().formParam("label", "x").post("/webhooks/" + webhook.id + "/simulator/test-homeys")
                .then().statusCode(403);
        given().redirects().follow(false).get("/webhooks/" + webhook.id + "/simulator").then()
                .statusCode(not(200));
    }

    private static RequestSpecification tester(PortalForms forms, Webhooks webhook, String keyPath, String body,
            String headers, String query) {
        return forms.form().formParam("method", "POST").formParam("headers", headers).formParam("query", query)
                .formParam("body", body).formParam("keyPath", keyPath).formParam("homey", "");
    }
}
