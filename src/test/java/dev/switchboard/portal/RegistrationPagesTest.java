package dev.switchboard.portal;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.PortalForms;
import dev.switchboard.support.PortalSession;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** The registrations page, read and used without JavaScript. */
@QuarkusTest
class RegistrationPagesTest {

    @Test
    void listsRegistrationsAndRemovesOneAfterConfirmation() {
        PortalForms owner = PortalForms.signIn("regp-owner");
        Webhooks webhook = Webhooks.create("regp-owner").keyPath("body.device");
        String page = "/webhooks/" + webhook.id + "/registrations";
        owner.page().get(page).then().statusCode(200).body(containsString("data-testid=\"no-registrations\""));

        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"lamp\",\"room\":\"hall\"}");
            owner.page().get(page).then().statusCode(200)
                    .body(containsString("data-homey-id=\"" + homey.homeyId + "\""))
                    .body(containsString("&quot;room&quot;:&quot;hall&quot;"))
                    .body(containsString("data-testid=\"registration-online\">online"))
                    .body(containsString("href=\"" + page + "/" + homey.homeyId + "/remove\""));

            String remove = page + "/" + homey.homeyId + "/remove";
            owner.page().get(remove).then().statusCode(200).body(containsString("Remove this registration?"))
                    .body(containsString("name=\"confirm\""));
            // Without the box ticked, nothing happens but the question again.
            owner.form().post(remove).then().statusCode(200).body(containsString("Remove this registration?"));
            as("regp-owner").get("/api/v1/webhooks/" + webhook.id + "/registrations").then().body("$", hasSize(1));

            owner.form().formParam("confirm", "yes").post(remove).then().statusCode(303)
                    .header("Location", endsWith(page + "?done=removed"));
            owner.page().get(page + "?done=removed").then().statusCode(200)
                    .body(containsString("Registration removed"))
                    .body(not(containsString("data-homey-id=\"" + homey.homeyId + "\"")));

            given().contentType("application/json").body("{\"device\":\"lamp\"}").post(webhook.url()).then().statusCode(200);
            homey.expectNothing(Duration.ofMillis(500));
            owner.page().get(remove).then().statusCode(404).body(containsString("is registered for this webhook"));
        }
    }

    @Test
    void anotherDevelopersRegistrationsAre404AndFormsNeedTheToken() {
        Webhooks webhook = Webhooks.create("alice");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            String page = "/webhooks/" + webhook.id + "/registrations";
            String remove = page + "/" + homey.homeyId + "/remove";

            PortalForms bob = PortalForms.signIn("regp-bob");
            bob.page().get(page).then().statusCode(404).body(not(containsString(homey.homeyId)));
            bob.page().get(remove).then().statusCode(404);
            bob.form().formParam("confirm", "yes").post(remove).then().statusCode(404);

            // A browser session (the code flow signs in alice); bearer-token calls need no CSRF token.
            PortalSession alice = PortalSession.signInAsAlice();
            alice.request().formParam("confirm", "yes").post(remove).then().statusCode(403);
            as("alice").get("/api/v1/webhooks/" + webhook.id + "/registrations").then().body("$", hasSize(1));
        }
    }
}
