package dev.switchboard.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** What a Homey receives for each kind of body (DESIGN.md, "Homey endpoint"), with rawBody byte-exact. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageBodyTest {

    Webhooks webhook;
    HomeyClient homey;

    @BeforeEach
    void homeyListens() {
        if (homey != null) {
            return;
        }
        webhook = Webhooks.create("bodies");
        homey = HomeyClient.enroll().connect();
        homey.subscribe(webhook.id, webhook.secret, "{}");
    }

    @AfterAll
    void close() {
        if (homey != null) {
            homey.close();
        }
    }

    /** Sends exact bytes with the JDK client: RestAssured re-encodes some bodies (forms) itself. */
    JsonNode send(String contentType, byte[] body) {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + webhook.url()
                + "?homey=" + homey.homeyId + "&tag=a&tag=b")).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        return homey.nextMessage();
    }

    @Test
    void formBodyBecomesAnObject() {
        JsonNode message = send("application/x-www-form-urlencoded", "a=1&b=two+words&a=3".getBytes());
        assertEquals("two words", message.at("/body/b").asText());
        assertEquals("1", message.at("/body/a/0").asText());
        assertEquals("3", message.at("/body/a/1").asText());
        assertRaw("a=1&b=two+words&a=3".getBytes(), message);
    }

    @Test
    void repeatedQueryKeysBecomeArrays() {
        JsonNode message = send("text/plain", "x".getBytes());
        assertEquals("a", message.at("/query/tag/0").asText());
        assertEquals("b", message.at("/query/tag/1").asText());
        assertEquals(homey.homeyId, message.at("/query/homey").asText());
    }

    @Test
    void textAndXmlBecomeStrings() {
        assertEquals("hello there", send("text/plain; charset=utf-8", "hello there".getBytes()).get("body").asText());
        String xml = "<event><id>42</id></event>";
        JsonNode message = send("application/xml", xml.getBytes());
        assertEquals(xml, message.get("body").asText());
        assertRaw(xml.getBytes(), message);
    }

    @Test
    void malformedJsonArrivesAsItsText() {
        JsonNode message = send("application/json", "{\"broken\":".getBytes());
        assertTrue(message.get("body").isTextual());
        assertEquals("{\"broken\":", message.get("body").asText());
    }

    @Test
    void binaryBecomesAnEmptyObjectWithExactRawBody() {
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff, (byte) 0xfe };
        JsonNode message = send("image/png", png);
        assertTrue(message.get("body").isObject() && message.get("body").isEmpty());
        assertRaw(png, message);
    }

    @Test
    void emptyBodyIsAnEmptyObjectWithoutRawBody() {
        given().delete(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200);
        JsonNode message = homey.nextMessage();
        assertEquals("DELETE", message.get("method").asText());
        assertTrue(message.get("body").isObject() && message.get("body").isEmpty());
        assertFalse(message.has("rawBody"));
    }

    @Test
    void headersAreLowerCasedAndHopByHopDropped() {
        given().header("X-Tuya-Key", "k1").header("Keep-Alive", "timeout=5").body("{}")
                .contentType("application/json").post(webhook.url() + "?homey=" + homey.homeyId)
                .then().statusCode(200);
        JsonNode message = homey.nextMessage();
        assertEquals("k1", message.at("/headers/x-tuya-key").asText());
        assertFalse(message.get("headers").has("keep-alive"));
        assertFalse(message.get("headers").has("X-Tuya-Key"));
    }

    @Test
    void utf8JsonRoundTrips() {
        byte[] body = "{\"name\":\"Zoë ☃\"}".getBytes(StandardCharsets.UTF_8);
        JsonNode message = send("application/json; charset=utf-8", body);
        assertEquals("Zoë ☃", message.at("/body/name").asText());
        assertRaw(body, message);
    }

    static void assertRaw(byte[] expected, JsonNode message) {
        assertArrayEquals(expected, Base64.getDecoder().decode(message.get("rawBody").asText()));
    }
}
