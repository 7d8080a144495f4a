package dev.switchboard.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** A hostile legacy function is no match: the sender still gets 200, nothing escapes, the app keeps serving. */
@QuarkusTest
class HostileLegacyFunctionTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "while(true){}",
            "Java.type('java.lang.System').exit(1); return true;",
            "load('/etc/passwd'); return true;",
            "var a = []; while (true) { a.push(new Array(1e6).fill(1)); }",
            "return 'x'.repeat(2 ** 28).length > 0;" })
    void isNoMatchAndTheAppKeepsServing(String function) {
        Webhooks hostile = Webhooks.create("hostile").legacyFunction(function);
        Webhooks healthy = Webhooks.create("healthy");
        try (HomeyClient victim = HomeyClient.enroll().connect(); HomeyClient bystander = HomeyClient.enroll().connect()) {
            victim.subscribe(hostile.id, hostile.secret, "{\"deviceId\":\"x\"}");
            bystander.subscribe(healthy.id, healthy.secret, "{}");

            given().contentType("application/json").body("{\"device_id\":\"x\"}").post(hostile.url())
                    .then().statusCode(200);
            victim.expectNothing(Duration.ofMillis(500));

            given().post(healthy.url() + "?homey=" + bystander.homeyId).then().statusCode(200);
            assertEquals(healthy.id, bystander.nextMessage().get("webhookId").asText());
        }
    }
}
