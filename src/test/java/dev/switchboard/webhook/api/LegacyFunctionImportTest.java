package dev.switchboard.webhook.api;

import static dev.switchboard.support.Tokens.as;
import static dev.switchboard.support.Tokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.PortalForms;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LegacyFunctionImportTest {

    static final String FUNCTION = "return homey_data.deviceId === webhook_data.device_id;";

    @Test
    void anAdminImportsAndTheOwnerSeesItReadOnly() {
        String id = WebhookApiTest.create("paul", "Imported");
        asAdmin("root").contentType("text/plain").body(FUNCTION)
                .put("/api/v1/admin/webhooks/" + id + "/legacy-function")
                .then().statusCode(200).body("legacyFunction", equalTo(FUNCTION));

        as("paul").get("/api/v1/webhooks/" + id).then().statusCode(200)
                .body("legacyFunction", equalTo(FUNCTION))
                .body("routing", equalTo("legacy_function"));
        PortalForms.signIn("paul").page().get("/webhooks/" + id).then().statusCode(200)
                .body(containsString("homey_data.deviceId === webhook_data.device_id"))
                .body(containsString("read-only"))
                .body(not(containsString("name=\"legacyFunction\"")));
    }

    @Test
    void developersCannotWriteLegacyFunctions() {
        String id = WebhookApiTest.create("quinn", "Mine");
        as("quinn").contentType("text/plain").body("return true;")
                .put("/api/v1/admin/webhooks/" + id + "/legacy-function")
                .then().statusCode(403);
        as("quinn").contentType("application/json").body("{\"legacyFunction\":\"return true;\"}")
                .patch("/api/v1/webhooks/" + id).then().statusCode(422);
        as("quinn").get("/api/v1/webhooks/" + id).then().body("legacyFunction", nullValue());
    }

    @Test
    void syntaxErrorsAndUnknownWebhooksAreRefused() {
        String id = WebhookApiTest.create("rose", "Broken");
        asAdmin("root").contentType("text/plain").body("return (;")
                .put("/api/v1/admin/webhooks/" + id + "/legacy-function")
                .then().statusCode(422).body("errors[0].field", equalTo("legacyFunction"));
        asAdmin("root").contentType("text/plain").body("   ")
                .put("/api/v1/admin/webhooks/" + id + "/legacy-function")
                .then().statusCode(422);
        asAdmin("root").contentType("text/plain").body(FUNCTION)
                .put("/api/v1/admin/webhooks/ffffffffffffffffffffffff/legacy-function")
                .then().statusCode(404).body("code", equalTo("webhook_not_found"));
        as("rose").get("/api/v1/webhooks/" + id).then().body("legacyFunction", nullValue());
    }
}
