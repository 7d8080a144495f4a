package dev.switchboard.homey;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketFrame;

/**
 * How messages go over the wire, seen frame by frame by a Vert.x client with its default limit of 64 KiB per frame:
 * a message in one text frame, a larger one in text and continuation frames of at most that size, both intact.
 */
@QuarkusTest
class MessageFramesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FRAME_LIMIT = 65_536;

    @Inject
    Vertx vertx;

    @Test
    void aMessageIsOneTextFrameAndOneLargerThanAFrameComesInFragmentsWithinTheLimit() throws Exception {
        Webhooks webhook = Webhooks.create("frames");
        HomeyClient credentials = HomeyClient.enroll();
        WebSocketClient client = vertx.createWebSocketClient();
        BlockingQueue<WebSocketFrame> frames = new LinkedBlockingQueue<>();
        WebSocket socket = client.connect(RestAssured.port, "localhost", "/homey/v1/socket")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            socket.frameHandler(frames::add);
            socket.writeTextMessage(JSON.createObjectNode().put("type", "hello").put("homeyId", credentials.homeyId)
                    .put("homeyKey", credentials.homeyKey).toString());
            assertEquals("welcome", message(frames).text().path("type").asText());
            socket.writeTextMessage(JSON.createObjectNode().put("type", "subscribe").put("webhookId", webhook.id)
                    .put("secret", webhook.secret).set("data", JSON.createObjectNode()).toString());
            assertEquals("subscribed", message(frames).text().path("type").asText());

            byte[] small = "{\"on\":true}".getBytes(StandardCharsets.UTF_8);
            post(webhook, credentials.homeyId, small);
            Message one = message(frames);
            assertEquals(1, one.frames(), "a message that fits a frame is one text frame");
            assertArrayEquals(small, Base64.getDecoder().decode(one.text().get("rawBody").asText()));
            socket.writeTextMessage(ack(one));

            byte[] large = ("{\"data\":\"" + "x".repeat(150_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            post(webhook, credentials.homeyId, large);
            Message fragmented = message(frames);
            assertTrue(fragmented.frames() > 1, "a message longer than a frame is fragmented");
            assertEquals("x".repeat(150_000), fragmented.text().get("body").get("data").asText());
            assertArrayEquals(large, Base64.getDecoder().decode(fragmented.text().get("rawBody").asText()));
            socket.writeTextMessage(ack(fragmented));
        } finally {
            socket.close();
            client.close();
        }
    }

    private static void post(Webhooks webhook, String homeyId, byte[] body) {
        given().contentType("application/json").body(body).post(webhook.url() + "?homey=" + homeyId).then()
                .statusCode(200);
    }

    private static String ack(Message message) {
        return JSON.createObjectNode().put("type", "ack").put("id", message.text().get("id").asText()).toString();
    }

    private record Message(JsonNode text, int frames) {
    }

    /** The next whole message: a text frame and its continuation frames, each checked against the client's limit. */
    private static Message message(BlockingQueue<WebSocketFrame> frames) throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<WebSocketFrame> parts = new ArrayList<>();
        while (true) {
            WebSocketFrame frame = frames.poll(10, TimeUnit.SECONDS);
            assertNotNull(frame, "no frame within 10 s");
            if (frame.isPing() || frame.isClose()) {
                assertFalse(frame.isClose(), "the server closed the socket");
                continue;
            }
            assertEquals(parts.isEmpty(), frame.isText(), "a message starts with a text frame, and only then");
            assertTrue(frame.binaryData().length() <= FRAME_LIMIT, "a frame of " + frame.binaryData().length() + " bytes");
            parts.add(frame);
            text.write(frame.binaryData().getBytes());
            if (frame.isFinal()) {
                return new Message(JSON.readTree(text.toByteArray()), parts.size());
            }
        }
    }
}
