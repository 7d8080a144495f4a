package dev.switchboard.portal;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.PortalForms;
import io.quarkus.test.junit.QuarkusTest;

/** The portal's forms over real HTTP, as a browser without JavaScript would use them. */
@QuarkusTest
class WebhookPagesTest {

    @Test
    void createShowsTheWebhookWithItsEnvJson() {
        PortalForms sam = PortalForms.signIn("sam");
        String location = sam.form().formParam("name", "Hue bridge").post("/webhooks")
                .then().statusCode(303).header("Location", matchesPattern(".*/webhooks/[0-9a-f]{24}\\?done=created"))
                .extract().header("Location");
        String id = location.replaceAll(".*/webhooks/([0-9a-f]{24}).*", "$1");
        sam.page().get("/webhooks/" + id + "?done=created").then().statusCode(200)
                .body(containsString("Webhook created"))
                .body(containsString("&quot;WEBHOOK_ID&quot; : &quot;" + id + "&quot;"))
                .body(containsString("/webhook/" + id + "</code>"))
                .body(containsString("/webhook/" + id + "?homey=&lt;homeyId&gt;"))
                .body(containsString("href=\"/api/v1/webhooks/" + id + "/env.json\""));
        sam.page().get("/webhooks").then().body(containsString("Hue bridge"));
    }

    @Test
    void blankNameShowsTheErrorNextToTheField() {
        PortalForms tom = PortalForms.signIn("tom");
        tom.form().formParam("name", "  ").post("/webhooks").then().statusCode(200)
                .body(containsString("id=\"name-error\""))
                .body(containsString("must not be blank"));
    }

    @Test
    void keyPathIsCheckedWhileTypingAndRefusedOnSaveWithItsPosition() {
        PortalForms uma = PortalForms.signIn("uma");
        String id = created(uma, "Keys");
        uma.form().formParam("keyPath", "headers['X-Device-Id'").post("/webhooks/" + id + "/key-path/check")
                .then().statusCode(200).body(containsString("data-testid=\"key-path-error\""))
                .body(containsString("position 21"));
        uma.form().formParam("keyPath", "headers['X-Device-Id']").post("/webhooks/" + id + "/key-path/check")
                .then().statusCode(200).body(containsString("Valid key path"));

        uma.form().formParam("keyPath", "body..x").post("/webhooks/" + id + "/key-path")
                .then().statusCode(422).body(containsString("position 5")).body(containsString("value=\"body..x\""));
        uma.form().formParam("keyPath", "headers['X-Device-Id']").post("/webhooks/" + id + "/key-path")
                .then().statusCode(303);
        uma.page().get("/webhooks/" + id).then().body(containsString("value=\"headers[&#39;X-Device-Id&#39;]\""));
    }

    @Test
    void rotateRenameAndDelete() {
        PortalForms vic = PortalForms.signIn("vic");
        String id = created(vic, "Lifecycle");
        vic.form().post("/webhooks/" + id + "/rotate-secret").then().statusCode(303);
        vic.page().get("/webhooks/" + id).then().body(containsString("previous secret keeps working until"));
        vic.form().formParam("name", "Renamed").post("/webhooks/" + id + "/rename").then().statusCode(303);
        vic.page().get("/webhooks/" + id).then().body(containsString("Renamed"));
        vic.form().post("/webhooks/" + id + "/delete").then().statusCode(200).body(containsString("I understand"));
        vic.page().get("/webhooks/" + id).then().statusCode(200);
        vic.form().formParam("confirm", "yes").post("/webhooks/" + id + "/delete").then().statusCode(303);
        vic.page().get("/webhooks/" + id).then().statusCode(404).body(containsString("Not found"));
        vic.page().get("/webhooks").then().body(not(containsString(id)));
    }

    @Test
    void landingPageInvitesToSignIn() {
        String html = io.restassured.RestAssured.get("/").then().statusCode(200).extract().asString();
        assertTrue(html.contains("href=\"/login\""));
        assertTrue(html.contains("/webjars/htmx.org/dist/htmx.min.js"));
        io.restassured.RestAssured.get("/webjars/htmx.org/dist/htmx.min.js").then().statusCode(200);
        io.restassured.RestAssured.get("/webjars/picocss__pico/css/pico.min.css").then().statusCode(200);
    }

    static String created(PortalForms forms, String name) {
        return forms.form().formParam("name", name).post("/webhooks").then().statusCode(303)
                .extract().header("Location").replaceAll(".*/webhooks/([0-9a-f]{24}).*", "$1");
    }
}
