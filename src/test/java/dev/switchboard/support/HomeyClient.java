package dev.switchboard.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.restassured.RestAssured;

/** A Homey over a real WebSocket, as an app's {@code homey.cloud} would talk to Switchboard. */
public final class HomeyClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    public final String homeyId;
    public final String homeyKey;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    /** How the current socket closed (each open() starts a new one): a reconnect is not confused with the old close. */
    private volatile CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private WebSocket socket;
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();

    private HomeyClient(String homeyId, String homeyKey) {
        this.homeyId = homeyId;
        this.homeyKey = homeyKey;
    }

    /** Enrolls a new Homey through {@code POST /api/v1/homeys}. */
    public static HomeyClient enroll() {
        JsonNode credentials = readTree(RestAssured.given().contentType("application/json").post("/api/v1/homeys").then().statusCode(201)
                .extract().asString());
        return new HomeyClient(credentials.get("homeyId").asText(), credentials.get("homeyKey").asText());
    }

    public static HomeyClient withCredentials(String homeyId, String homeyKey) {
        return new HomeyClient(homeyId, homeyKey);
    }

    /** Opens the socket without saying hello. */
    public HomeyClient open() {
        frames.clear();
        URI uri = URI.create("ws://localhost:" + RestAssured.port + "/homey/v1/socket");
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        closeCode = closed;
        socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new Listener(closed)).join();
        return this;
    }

    /** Opens the socket and completes hello/welcome. */
    public HomeyClient connect() {
        open();
        send(JSON.createObjectNode().put("type", "hello").put("homeyId", homeyId).put("homeyKey", homeyKey));
        JsonNode welcome = next();
        assertEquals("welcome", welcome.path("type").asText(), "expected welcome, got " + welcome);
        return this;
    }

    public void subscribe(String webhookId, String secret, String dataJson) {
        ObjectNode frame = JSON.createObjectNode().put("type", "subscribe").put("webhookId", webhookId)
                .put("secret", secret);
        frame.set("data", readTree(dataJson));
        send(frame);
        JsonNode answer = next();
        assertEquals("subscribed", answer.path("type").asText(), "subscribe answered " + answer);
    }

    public void send(JsonNode frame) {
        socket.sendText(frame.toString(), true).join();
    }

    /** Sends raw text as one frame, whatever it holds. */
    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends one message as several frames (a fragmented message), each part its own frame. */
    public void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
    }

    public void ack(JsonNode message) {
        send(JSON.createObjectNode().put("type", "ack").put("id", message.get("id").asText()));
    }

    /** The next frame, waiting up to 10 s. */
    public JsonNode next() {
        return next(Duration.ofSeconds(10));
    }

    public JsonNode next(Duration timeout) {
        try {
            JsonNode frame = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(frame, "no frame within " + timeout);
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next {@code message} frame, acknowledged. */
    public JsonNode nextMessage() {
        JsonNode frame = next();
        assertEquals("message", frame.path("type").asText(), "expected a message, got " + frame);
        ack(frame);
        return frame;
    }

    /** Asserts that nothing arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) {
        try {
            JsonNode frame = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (frame != null) {
                fail("expected no frame, got " + frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public List<JsonNode> drain() {
        List<JsonNode> all = new ArrayList<>();
        frames.drainTo(all);
        return all;
    }

    public int awaitClose(Duration timeout) {
        try {
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("socket not closed within " + timeout, e);
        }
    }

    /** Pings the server sent, over every socket this client opened. */
    public int pings() {
        return pings.get();
    }

    /** The close code of the current socket once it closed (-1: it failed), else null. */
    public Integer closedWith() {
        CompletableFuture<Integer> code = closeCode;
        return code.isCompletedExceptionally() ? Integer.valueOf(-1) : code.getNow(null);
    }

    /** Drops the connection, like a Homey losing its network. */
    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.abort();
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closeCode;

        Listener(CompletableFuture<Integer> closeCode) {
            this.closeCode = closeCode;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(readTree(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        /** The JDK answers every ping with a pong by itself; this only counts them. */
        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
            pings.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
