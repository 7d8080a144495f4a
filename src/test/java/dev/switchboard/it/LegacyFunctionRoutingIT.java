package dev.switchboard.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Legacy cloud functions in the packaged app: GraalVM JavaScript under the sandbox policy routes a request, and a
 * function that tries to escape or never ends matches nobody while the app keeps answering. In a native binary this
 * is the test that Truffle and the JavaScript language made it into the image.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedApp.class)
class LegacyFunctionRoutingIT {

    static final Duration QUIET = Duration.ofMillis(700);

    @Test
    void functionDeliversToTheHomeysItReturnsTrueFor() {
        Webhooks webhook = Webhooks.create("it-legacy")
                .legacyFunction("return homey_data.deviceId === webhook_data.device_id;");
        try (HomeyClient match = HomeyClient.enroll().connect(); HomeyClient miss = HomeyClient.enroll().connect()) {
            match.subscribe(webhook.id, webhook.secret, "{\"deviceId\":\"aaabbbccc\"}");
            miss.subscribe(webhook.id, webhook.secret, "{\"deviceId\":\"other\"}");
            given().contentType("application/json").body("{\"device_id\":\"aaabbbccc\"}").post(webhook.url())
                    .then().statusCode(200);
            assertEquals("aaabbbccc", match.nextMessage().at("/body/device_id").asText());
            miss.expectNothing(QUIET);
        }
    }

    @Test
    void hostileFunctionsMatchNobodyAndTheAppCarriesOn() {
        Webhooks escape = Webhooks.create("it-legacy")
                .legacyFunction("return Java.type('java.lang.System') !== undefined;");
        Webhooks endless = Webhooks.create("it-legacy").legacyFunction("while (true) {}");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(escape.id, escape.secret, "{}");
            homey.subscribe(endless.id, endless.secret, "{}");
            given().contentType("application/json").body("{}").post(escape.url()).then().statusCode(200);
            given().contentType("application/json").body("{}").post(endless.url()).then().statusCode(200);
            homey.expectNothing(QUIET);
        }
    }
}
