package dev.switchboard.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Homeys over real WebSockets, all in this JVM on a couple of Vert.x event loops: each enrolls through
 * {@code POST /api/v1/homeys}, says hello, subscribes, and acknowledges every message at once, like a Homey whose
 * app reads its messages. Records which messages each Homey got and the sender-to-Homey latency from the send time
 * the wrk script put in the body ({@code "t"}, epoch microseconds, same clock).
 */
final class HomeyFleet implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGE_PREFIX = "{\"type\":\"message\"";
    private static final String ID_FIELD = "\"id\":\"";
    private static final String T_FIELD = "\"t\":";
    private static final int CONNECT_CONCURRENCY = 64;
    /** Like the Node and Python clients: a Homey whose socket the app closed connects again after a pause. */
    private static final long RECONNECT_DELAY_MS = 1_000;

    /** One simulated Homey. */
    final class SimHomey {
        final int index;
        final String homeyId;
        final String homeyKey;
        /** Delivery IDs received (at-least-once: a resend of one of these counts as a duplicate). */
        final Set<String> received = ConcurrentHashMap.newKeySet();
        volatile WebSocket socket;
        volatile boolean stalled;
        private volatile CompletableFuture<JsonNode> answer = new CompletableFuture<>();

        SimHomey(int index, String homeyId, String homeyKey) {
            this.index = index;
            this.homeyId = homeyId;
            this.homeyKey = homeyKey;
        }

        boolean connected() {
            return socket != null && !socket.isClosed();
        }

        private void onText(String text) {
            if (text.startsWith(MESSAGE_PREFIX)) {
                onMessage(text);
                return;
            }
            try {
                answer.complete(JSON.readTree(text));
            } catch (Exception e) {
                answer.completeExceptionally(e);
            }
        }

        private void onMessage(String text) {
            long now = epochMicros();
            int at = text.indexOf(ID_FIELD);
            if (at < 0) {
                malformed.incrementAndGet();
                return;
            }
            String id = text.substring(at + ID_FIELD.length(), at + ID_FIELD.length() + 24);
            if (received.add(id)) {
                delivered.incrementAndGet();
                long sentAt = sendTime(text);
                if (sentAt > 0 && recording) {
                    endToEnd.record(now - sentAt);
                }
            } else {
                duplicates.incrementAndGet();
            }
            WebSocket current = socket; // null once the benchmark has dropped this Homey's connection
            if (!stalled && current != null) {
                current.writeTextMessage("{\"type\":\"ack\",\"id\":\"" + id + "\"}");
                acks.incrementAndGet();
            }
        }

        /** Sends a control frame and waits for the app's answer. */
        private CompletableFuture<JsonNode> ask(String frame) {
            answer = new CompletableFuture<>();
            socket.writeTextMessage(frame);
            return answer;
        }
    }

    final List<SimHomey> homeys = new ArrayList<>();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong acks = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong closedByServer = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    volatile LatencyHistogram endToEnd = new LatencyHistogram();
    private volatile boolean recording;
    private volatile boolean closing;

    private final int port;
    private final Vertx vertx;
    private final WebSocketClient client;

    HomeyFleet(int port) {
        this.port = port;
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setMaxMessageSize(4 * 1024 * 1024).setMaxFrameSize(4 * 1024 * 1024).setConnectTimeout(30_000));
    }

    /** Enrolls {@code count} Homeys through the API, as a Homey does once in its life. */
    void enroll(int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/homeys");
        List<CompletableFuture<SimHomey>> pending = new ArrayList<>();
        Semaphore window = new Semaphore(16);
        for (int i = 0; i < count; i++) {
            int index = i;
            window.acquire();
            pending.add(http.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> window.release())
                    .thenApply(response -> {
                        if (response.statusCode() != 201) {
                            throw new IllegalStateException("Enrollment answered " + response.statusCode() + ": "
                                    + response.body());
                        }
                        JsonNode body = read(response.body());
                        return new SimHomey(index, body.get("homeyId").asText(), body.get("homeyKey").asText());
                    }));
        }
        for (CompletableFuture<SimHomey> f : pending) {
            homeys.add(f.get(2, TimeUnit.MINUTES));
        }
    }

    /** Opens the sockets of {@code which} and completes hello/welcome, a bounded number at a time. */
    void connect(List<SimHomey> which) throws Exception {
        forEach(which, this::connect);
    }

    /** Subscribes each of {@code which} to the webhook with {@code {"$key": c<index>}}. */
    void subscribe(List<SimHomey> which, String webhookId, String secret) throws Exception {
        forEach(which, h -> h.ask(JSON.createObjectNode().put("type", "subscribe").put("webhookId", webhookId)
                .put("secret", secret).set("data", JSON.createObjectNode().put("$key", Seeder.onlineKey(h.index)))
                .toString()).thenAccept(answer -> {
                    if (!"subscribed".equals(answer.path("type").asText())) {
                        throw new IllegalStateException("subscribe answered " + answer);
                    }
                }));
    }

    /** Drops the sockets of {@code which}, like Homeys losing their network; registrations stay. */
    void disconnect(List<SimHomey> which) throws Exception {
        forEach(which, h -> {
            WebSocket socket = h.socket;
            h.socket = null;
            return socket == null ? CompletableFuture.completedFuture(null)
                    : socket.close().toCompletionStage().toCompletableFuture().thenApply(v -> null);
        });
    }

    /** Stops reading (and so acknowledging): the app's writes back up in TCP and in its own buffers. */
    void stall(List<SimHomey> which) {
        for (SimHomey h : which) {
            h.stalled = true;
            WebSocket socket = h.socket;
            if (socket != null) {
                socket.pause();
            }
        }
    }

    /** Reads again and acknowledges what arrives, including what was received while stalled but not acknowledged. */
    void resume(List<SimHomey> which) {
        for (SimHomey h : which) {
            h.stalled = false;
            WebSocket socket = h.socket; // null while it reconnects: the new socket then reads from the start
            if (socket != null) {
                socket.resume();
            }
        }
    }

    /** Starts a fresh sender-to-Homey histogram and counts from now on. */
    void startRecording() {
        endToEnd = new LatencyHistogram();
        recording = true;
    }

    void stopRecording() {
        recording = false;
    }

    long receivedBy(List<SimHomey> which) {
        long total = 0;
        for (SimHomey h : which) {
            total += h.received.size();
        }
        return total;
    }

    @Override
    public void close() {
        closing = true;
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }

    private CompletableFuture<Void> connect(SimHomey h) {
        CompletableFuture<JsonNode> welcome = new CompletableFuture<>();
        h.answer = welcome;
        return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                .setURI("/homey/v1/socket")).toCompletionStage().toCompletableFuture()
                .thenCompose(socket -> {
                    h.socket = socket;
                    socket.textMessageHandler(h::onText);
                    socket.closeHandler(v -> {
                        if (h.socket == socket) {
                            closedByServer.incrementAndGet();
                            reconnectLater(h);
                        }
                    });
                    socket.writeTextMessage(JSON.createObjectNode().put("type", "hello").put("homeyId", h.homeyId)
                            .put("homeyKey", h.homeyKey).toString());
                    return welcome;
                })
                .thenAccept(answer -> {
                    if (!"welcome".equals(answer.path("type").asText())) {
                        throw new IllegalStateException("hello answered " + answer);
                    }
                });
    }

    /**
     * Connects {@code h} again after {@link #RECONNECT_DELAY_MS} (its registrations stay in the app, so hello is
     * enough), retrying until it is back; a Homey that was stalled stays stalled on its new socket.
     */
    private void reconnectLater(SimHomey h) {
        h.socket = null;
        if (closing) {
            return;
        }
        vertx.setTimer(RECONNECT_DELAY_MS, id -> connect(h).whenComplete((ok, e) -> {
            if (e != null) {
                reconnectLater(h);
                return;
            }
            reconnects.incrementAndGet();
            WebSocket socket = h.socket;
            if (h.stalled && socket != null) {
                socket.pause();
            }
        }));
    }

    private static void forEach(List<SimHomey> which, Function<SimHomey, CompletableFuture<?>> action)
            throws Exception {
        Semaphore window = new Semaphore(CONNECT_CONCURRENCY);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (SimHomey h : which) {
            window.acquire();
            all.add(action.apply(h).orTimeout(60, TimeUnit.SECONDS).whenComplete((ok, e) -> window.release()));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    /** The {@code "t"} the wrk script put in the body; the frame carries the parsed body before rawBody. */
    private static long sendTime(String frame) {
        int at = frame.indexOf(T_FIELD);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        for (int i = at + T_FIELD.length(); i < frame.length(); i++) {
            char c = frame.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException("Not JSON: " + json, e);
        }
    }
}
