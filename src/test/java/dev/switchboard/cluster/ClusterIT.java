package dev.switchboard.cluster;

import static dev.switchboard.support.Tokens.as;
import static dev.switchboard.support.Tokens.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.AppProcess;
import dev.switchboard.support.HomeyClient;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Three packaged app processes (quarkus-run.jar, prod profile) on loopback ports share one embedded PostgreSQL and one
 * Redis (Debian's redis-server, started here on a free port): what a Homey sees does not depend on which node the
 * sender or the Homey reached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "Y2x1c3Rlci10ZXN0LWtleS0zMi1ieXRlcy1sb25nISE=";

    static EmbeddedPostgres postgres;
    static OidcWiremockTestResource oidc;
    static String keycloakUrl;
    static int redisPort;
    static Process redis;
    static final Map<String, Integer> ports = new ConcurrentHashMap<>();
    static final Map<String, Integer> managementPorts = new ConcurrentHashMap<>();
    static final Map<String, Process> nodes = new ConcurrentHashMap<>();
    static String webhookId;
    static String secret;

    @BeforeAll
    static void startCluster() throws Exception {
        oidc = new OidcWiremockTestResource();
        keycloakUrl = oidc.start().get("keycloak.url");
        postgres = EmbeddedPostgres.builder().setDataDirectory(Path.of("target/cluster-test-postgres"))
                .setCleanDataDirectory(true).start();
        redisPort = AppProcess.freePort();
        startRedis();
        for (String node : List.of("a", "b", "c")) {
            ports.put(node, AppProcess.freePort());
            managementPorts.put(node, AppProcess.freePort());
        }
        // The first node migrates the schema; the others start together.
        nodes.put("a", start("a"));
        List<Thread> starting = new ArrayList<>();
        for (String node : List.of("b", "c")) {
            Thread t = new Thread(() -> {
                try {
                    nodes.put(node, start(node));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            starting.add(t);
        }
        for (Thread t : starting) {
            t.join();
        }
        assertEquals(3, nodes.size(), "three nodes started");
        on("a");
        JsonNode webhook = JSON.readTree(as("alice").body("{\"name\":\"Cluster\"}").post("/api/v1/webhooks")
                .then().statusCode(201).extract().asString());
        webhookId = webhook.get("id").asText();
        secret = webhook.get("secret").asText();
        as("alice").body("{\"keyPath\":\"body.device_id\"}").patch("/api/v1/webhooks/" + webhookId)
                .then().statusCode(200);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        nodes.values().forEach(Process::destroyForcibly);
        if (redis != null) {
            redis.destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (oidc != null) {
            oidc.stop();
        }
    }

    @Test
    @Order(1)
    void aRequestSentToOneNodeReachesAHomeyConnectedToAnother() throws Exception {
        HomeyClient homey = enrollOn("b");
        homey.subscribe(webhookId, secret, "{\"$key\":\"dev-b\"}");

        // The subscribe on B routes on A at once (change feed), and A hands the message to B (key path).
        assertEquals(200, post("a", "", "{\"device_id\":\"dev-b\"}"));
        JsonNode byKey = homey.nextMessage();
        assertEquals("dev-b", byKey.path("body").path("device_id").asText());

        // ?homey= through node C.
        assertEquals(200, post("c", "?homey=" + homey.homeyId, "{\"n\":2}"));
        assertEquals(2, homey.nextMessage().path("body").path("n").asInt());
        homey.close();
    }

    @Test
    @Order(2)
    void aSubscribeOnOneNodeRoutesOnAnotherAtOnce() throws Exception {
        HomeyClient homey = enrollOn("c");
        homey.subscribe(webhookId, secret, "{\"$keys\":[\"dev-c\"]}");
        // No wait between the subscribe answered on C and the request on A.
        assertEquals(200, post("a", "", "{\"device_id\":\"dev-c\"}"));
        assertEquals("dev-c", homey.nextMessage().path("body").path("device_id").asText());
        homey.close();
    }

    @Test
    @Order(3)
    void aKeyPathChangedThroughOneNodeRoutesOnAnother() throws Exception {
        HomeyClient homey = enrollOn("b");
        homey.subscribe(webhookId, secret, "{\"$key\":\"q-1\"}");
        on("a");
        as("alice").body("{\"keyPath\":\"query.device\"}").patch("/api/v1/webhooks/" + webhookId).then().statusCode(200);
        Thread.sleep(100); // the change feed's promise: every node within 100 ms
        assertEquals(200, post("c", "?device=q-1", "{}"));
        assertEquals("q-1", homey.nextMessage().path("query").path("device").asText());
        on("a");
        as("alice").body("{\"keyPath\":\"body.device_id\"}").patch("/api/v1/webhooks/" + webhookId).then().statusCode(200);
        Thread.sleep(100);
        homey.close();
    }

    @Test
    @Order(4)
    void aSecretRotatedThroughOneNodeIsRefusedOnAnother() throws Exception {
        on("a");
        String rotated = JSON.readTree(as("alice").post("/api/v1/webhooks/" + webhookId + "/rotate-secret")
                .then().statusCode(200).extract().asString()).get("secret").asText();
        HomeyClient homey = enrollOn("b");
        homey.send(JSON.createObjectNode().put("type", "subscribe").put("webhookId", webhookId).put("secret", secret)
                .set("data", JSON.createObjectNode()));
        JsonNode refused = homey.next();
        assertEquals("error", refused.path("type").asText(), refused.toString());
        assertEquals("invalid_secret", refused.path("code").asText());
        homey.subscribe(webhookId, rotated, "{}");
        secret = rotated;
        homey.close();
    }

    @Test
    @Order(5)
    void aSecondSocketOnAnotherNodeClosesTheFirstWith4409() throws Exception {
        HomeyClient first = enrollOn("b");
        HomeyClient second = HomeyClient.withCredentials(first.homeyId, first.homeyKey);
        on("c");
        second.connect();
        assertEquals(4409, first.awaitClose(Duration.ofSeconds(10)));
        // The second socket holds the Homey: a request through A reaches it on C.
        second.subscribe(webhookId, secret, "{}");
        assertEquals(200, post("a", "?homey=" + first.homeyId, "{\"n\":5}"));
        assertEquals(5, second.nextMessage().path("body").path("n").asInt());
        second.close();
    }

    @Test
    @Order(6)
    void aLegacyFunctionImportedThroughOneNodeRoutesOnAnother() throws Exception {
        on("c");
        JsonNode legacy = JSON.readTree(as("alice").body("{\"name\":\"Imported\"}").post("/api/v1/webhooks")
                .then().statusCode(201).extract().asString());
        String id = legacy.get("id").asText();
        asAdmin("root").contentType("text/plain").body("return homey_data.deviceId === webhook_data.device_id;")
                .put("/api/v1/admin/webhooks/" + id + "/legacy-function").then().statusCode(200);
        HomeyClient homey = enrollOn("b");
        homey.subscribe(id, legacy.get("secret").asText(), "{\"deviceId\":\"lamp-1\"}");
        // Imported through C, subscribed on B, run on A.
        assertEquals(200, post("a", id, "", "{\"device_id\":\"lamp-1\"}"));
        assertEquals("lamp-1", homey.nextMessage().path("body").path("device_id").asText());
        homey.close();
    }

    @Test
    @Order(7)
    void theLiveLogOnOneNodeShowsDeliveriesAndAcksOfTheOthers() throws Exception {
        HomeyClient homey = enrollOn("b");
        homey.subscribe(webhookId, secret, "{}");
        String token = OidcWiremockTestResource.getAccessToken("alice", Set.of("user"));
        HttpResponse<java.io.InputStream> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + ports.get("a") + "/webhooks/" + webhookId + "/deliveries/live"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, live.statusCode());
        java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readEvents(live.body(), events), "live-log-reader");
        reader.setDaemon(true);
        reader.start();
        assertTrue(awaitEvent(events, e -> e.startsWith("rows\n")).startsWith("rows"), "the page's rows first");

        // Recorded by A, sent and acknowledged on B: B writes the ack, and A's page shows it.
        String deliveryId = acceptedOn("a", homey, "{\"n\":6}");
        assertEquals(deliveryId, homey.nextMessage().path("id").asText());
        String acked = awaitEvent(events, e -> e.startsWith("outcome\n") && e.contains("delivery-" + deliveryId)
                && e.contains("data-outcome=\"acked\""));
        assertTrue(acked.contains("data-outcome=\"acked\""), acked);

        // Recorded by C: A's page shows it as a new row, as it shows those A records.
        String recordedOnC = acceptedOn("c", homey, "{\"n\":7}");
        String row = awaitEvent(events, e -> e.startsWith("delivery\n") && e.contains("delivery-" + recordedOnC));
        assertTrue(row.contains("data-delivery-id=\"" + recordedOnC + "\""), row);
        live.body().close();
        homey.close();
    }

    /** Server-sent events as "name\ndata" (data lines joined), comments left out. */
    private static void readEvents(java.io.InputStream body, java.util.concurrent.BlockingQueue<String> events) {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(body,
                java.nio.charset.StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            for (String line; (line = lines.readLine()) != null;) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(name + "\n" + data);
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (IOException closed) {
            // the test closed the stream
        }
    }

    private static String awaitEvent(java.util.concurrent.BlockingQueue<String> events,
            java.util.function.Predicate<String> wanted) throws InterruptedException {
        for (;;) {
            String event = events.poll(20, TimeUnit.SECONDS);
            assertTrue(event != null, "no wanted event within 20 s");
            if (wanted.test(event)) {
                return event;
            }
        }
    }

    @Test
    @Order(8)
    void noRequestAnswered200IsLostWhenANodeStopsGracefully() throws Exception {
        // Two Homeys on each node; four senders post to A, B and C in turn, so B has requests in progress when it stops.
        Map<HomeyClient, String> nodeOf = subscribedOn("a", "b", "c", "a", "b", "c");
        List<HomeyClient> homeys = new ArrayList<>(nodeOf.keySet());
        String[] targets = {"a", "b", "c"};
        AtomicInteger turn = new AtomicInteger();
        Load load = Load.start(homeys, (thread, to) -> targets[Math.floorMod(turn.getAndIncrement(), 3)]);
        Thread.sleep(3000);
        Process b = nodes.get("b");
        Instant stopped = Instant.now();
        b.destroy(); // SIGTERM: Homey sockets close with 1012, requests in progress commit, then the JVM exits
        try {
            for (HomeyClient homey : homeys) {
                if (nodeOf.get(homey).equals("b")) {
                    assertEquals(1012, homey.awaitClose(Duration.ofSeconds(30)), "B's Homeys are told it restarts");
                    synchronized (homey) {
                        on("a");
                        homey.connect();
                    }
                }
            }
            assertTrue(b.waitFor(30, TimeUnit.SECONDS), "B exits within its grace period");
            System.out.printf("Cluster test: node B exited %d ms after SIGTERM%n",
                    Duration.between(stopped, Instant.now()).toMillis());
            // Its Homey sockets' upgrade requests do not hold Quarkus' graceful wait until it times out (they did).
            assertFalse(Files.readString(Path.of("target/cluster-test-node-b.log"))
                    .contains("Timed out waiting for graceful shutdown"), "B waited for requests that had ended");
            Thread.sleep(3000);
            Set<String> lost = load.stopAndAwaitDelivery("node B stopped (SIGTERM) under load");
            assertTrue(load.answered200.size() >= 50, "load reached the cluster: " + load.answered200.size());
            assertEquals(Set.of(), lost);
            homeys.forEach(homey -> assertEquals(null, homey.closedWith(), "socket of " + homey.homeyId + " closed"));
        } finally {
            homeys.forEach(HomeyClient::close);
            b.destroyForcibly().waitFor();
            // Kept for reading how it stopped: starting B again begins a new log.
            Files.copy(Path.of("target/cluster-test-node-b.log"), Path.of("target/cluster-test-node-b-stopped.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            nodes.put("b", start("b")); // back for the next test, which kills it
        }
    }

    @Test
    @Order(9)
    void noRequestAnswered200IsLostWhenANodeIsKilled() throws Exception {
        // Two Homeys on each node; four senders post to A and C with ?homey= in turn.
        Map<HomeyClient, String> nodeOf = subscribedOn("a", "b", "c", "a", "b", "c");
        List<HomeyClient> homeys = new ArrayList<>(nodeOf.keySet());
        Load load = Load.start(homeys, (thread, to) -> thread % 2 == 0 ? "a" : "c");
        Thread.sleep(3000);
        nodes.get("b").destroyForcibly().waitFor(); // SIGKILL: no shutdown, no 1012, presence left to expire
        for (HomeyClient homey : homeys) {
            if (nodeOf.get(homey).equals("b")) {
                synchronized (homey) {
                    homey.close();
                    on("a");
                    homey.connect();
                }
            }
        }
        Thread.sleep(3000);
        Set<String> lost = load.stopAndAwaitDelivery("node B killed under load");
        assertTrue(load.answered200.size() >= 50, "load reached the cluster: " + load.answered200.size());
        assertEquals(Set.of(), lost);
        // A real client stops on 4409: a socket closed by mistake would lose every later message in production.
        homeys.forEach(homey -> assertEquals(null, homey.closedWith(), "socket of " + homey.homeyId + " closed"));
        homeys.forEach(HomeyClient::close);
    }

    @Test
    @Order(10)
    void noRequestAnswered200IsLostWhileRedisIsDown() throws Exception {
        // B is gone (killed above): two Homeys on A, two on C, and every request goes to the node its Homey is not on,
        // so each one needs a hand-over while Redis is up, and the log while it is down.
        Map<HomeyClient, String> nodeOf = subscribedOn("a", "c", "a", "c");
        List<HomeyClient> homeys = new ArrayList<>(nodeOf.keySet());
        assertEquals("ok", clusterHealth("a"));
        Load load = Load.start(homeys, (thread, to) -> nodeOf.get(to).equals("a") ? "c" : "a");
        Thread.sleep(2000);
        redis.destroy();
        redis.waitFor();
        awaitClusterHealth("a", "degraded");
        awaitClusterHealth("c", "degraded");
        int answeredBeforeOutage = load.answered200.size();
        Thread.sleep(10_000); // Redis stays down under load
        int answeredDuringOutage = load.answered200.size() - answeredBeforeOutage;
        startRedis();
        awaitClusterHealth("a", "ok");
        awaitClusterHealth("c", "ok");
        Thread.sleep(3000);
        Set<String> lost = load.stopAndAwaitDelivery("Redis stopped for 10 s under load");
        System.out.printf("Cluster test: %d requests answered 200 while Redis was down%n", answeredDuringOutage);
        assertTrue(answeredDuringOutage > 0, "senders were answered 200 while Redis was down");
        assertEquals(0, load.refused.get(), "answers other than 200");
        assertEquals(Set.of(), lost);
        homeys.forEach(homey -> assertEquals(null, homey.closedWith(), "socket of " + homey.homeyId + " closed"));
        homeys.forEach(HomeyClient::close);
    }

    @Test
    @Order(11)
    void aDeadNodesUnwrittenTargetsAreRecoveredByASurvivor() throws Exception {
        // A Homey on C that does not acknowledge: C holds the target of its message in memory (its row is written with
        // the outcome, or after deferred-target-grace, which the nodes here set long). C dies before writing it.
        HomeyClient homey = enrollOn("c");
        homey.subscribe(webhookId, secret, "{}");
        String deliveryId = acceptedOn("c", homey, "{\"n\":8}");
        assertEquals(deliveryId, homey.next().path("id").asText(), "sent at once by C");
        Instant killed = Instant.now();
        nodes.get("c").destroyForcibly().waitFor();

        // Reconnected to A, the only node left: A's refill finds no row for it; A recovers C's checkpoint once C has
        // stopped refreshing it, and the pending sweep sends the message.
        homey.close();
        on("a");
        homey.connect();
        Instant deadline = Instant.now().plusSeconds(120);
        String got = null;
        while (!deliveryId.equals(got) && Instant.now().isBefore(deadline)) {
            JsonNode frame = homey.drain().stream().filter(f -> deliveryId.equals(f.path("id").asText())).findFirst()
                    .orElse(null);
            got = frame == null ? null : deliveryId;
            Thread.sleep(200);
        }
        System.out.printf("Cluster test: node C killed holding an unwritten target: %s received again through node A"
                + " (%d s after the kill)%n", deliveryId.equals(got) ? "message" : "nothing",
                Duration.between(killed, Instant.now()).toSeconds());
        assertEquals(deliveryId, got, "the message reached its Homey from the survivor");
        homey.close();
    }

    /** Four senders posting {@code ?homey=} to each Homey in turn, and a collector acknowledging what Homeys receive. */
    static final class Load {

        /** The node a sender thread posts a request for {@code to} to. */
        interface Target {
            String node(int thread, HomeyClient to);
        }

        final Set<String> answered200 = ConcurrentHashMap.newKeySet();
        final Set<String> received = ConcurrentHashMap.newKeySet();
        /** Answers other than 200 (a request that timed out or could not connect is not answered). */
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger unanswered = new AtomicInteger();
        private final AtomicBoolean sending = new AtomicBoolean(true);
        private final AtomicBoolean collecting = new AtomicBoolean(true);
        private final ExecutorService senders = Executors.newFixedThreadPool(4);
        private final ExecutorService collector = Executors.newSingleThreadExecutor();

        static Load start(List<HomeyClient> homeys, Target target) {
            Load load = new Load();
            load.collector.submit(() -> collect(homeys, load.received, load.collecting));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                load.senders.submit(() -> {
                    int n = 0;
                    while (load.sending.get()) {
                        HomeyClient to = homeys.get((thread + n) % homeys.size());
                        String node = target.node(thread, to);
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                    "http://localhost:" + ports.get(node) + "/webhook/" + webhookId + "?homey=" + to.homeyId))
                                    .timeout(Duration.ofSeconds(5))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"t\":" + thread + ",\"n\":" + n++ + "}"))
                                    .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                load.answered200.add(JSON.readTree(response.body()).get("deliveryId").asText());
                            } else {
                                load.refused.incrementAndGet();
                                System.out.println("Cluster test: node " + node + " answered " + response.statusCode()
                                        + " " + response.body());
                            }
                        } catch (Exception e) {
                            load.unanswered.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            return load;
        }

        /** Stops sending, waits (bounded) until every request answered 200 was received, prints the figures. */
        Set<String> stopAndAwaitDelivery(String scenario) throws Exception {
            sending.set(false);
            // Requests still in flight may yet be answered 200: wait for them (each times out after 5 s) before
            // comparing, or one answered after the comparison would count as lost.
            senders.shutdown();
            assertTrue(senders.awaitTermination(30, TimeUnit.SECONDS), "senders stopped");
            Instant deadline = Instant.now().plusSeconds(60);
            while (!received.containsAll(answered200) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            collecting.set(false);
            collector.shutdown();
            collector.awaitTermination(10, TimeUnit.SECONDS);
            Set<String> lost = new HashSet<>(answered200);
            lost.removeAll(received);
            System.out.printf("Cluster test: %s: %d requests sent, %d answered 200, %d answered otherwise, %d"
                    + " unanswered; %d received, %d lost%n", scenario,
                    answered200.size() + refused.get() + unanswered.get(), answered200.size(), refused.get(),
                    unanswered.get(), received.size(), lost.size());
            printTargets(lost);
            return lost;
        }
    }

    /** What the log says of each lost message's target: where it was left. */
    private static void printTargets(Set<String> lost) throws Exception {
        try (var c = postgres.getPostgresDatabase().getConnection();
                var s = c.prepareStatement("SELECT d.id, t.homey_id, t.state, t.attempts, d.deferred_homey_ids::text"
                        + " FROM delivery d LEFT JOIN delivery_target t ON t.delivery_id = d.id WHERE d.id = ?")) {
            for (String id : lost) {
                s.setString(1, id);
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        System.out.printf("Cluster test: lost %s: target homey=%s state=%s attempts=%d deferred=%s%n",
                                rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5));
                    }
                }
            }
        }
    }

    private static String clusterHealth(String node) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + managementPorts.get(node) + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode check : JSON.readTree(response.body()).path("checks")) {
            if ("cluster".equals(check.path("name").asText())) {
                return check.path("data").path("status").asText();
            }
        }
        return "missing";
    }

    private static void awaitClusterHealth(String node, String status) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        String seen = clusterHealth(node);
        while (!status.equals(seen) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            seen = clusterHealth(node);
        }
        assertEquals(status, seen, "cluster health of node " + node);
    }

    /** Acknowledges every message the Homeys receive and notes its ID. */
    private static Void collect(List<HomeyClient> homeys, Set<String> received, AtomicBoolean running) {
        while (running.get()) {
            for (HomeyClient homey : homeys) {
                synchronized (homey) {
                    for (JsonNode frame : homey.drain()) {
                        if ("message".equals(frame.path("type").asText())) {
                            received.add(frame.get("id").asText());
                            try {
                                homey.ack(frame);
                            } catch (RuntimeException closed) {
                                // sent again after the reconnect
                            }
                        }
                    }
                }
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    /** A Homey enrolled on each of {@code nodes} in turn and subscribed to the webhook, with the node it is on. */
    private static Map<HomeyClient, String> subscribedOn(String... nodes) {
        Map<HomeyClient, String> nodeOf = new LinkedHashMap<>();
        for (String node : nodes) {
            HomeyClient homey = enrollOn(node);
            homey.subscribe(webhookId, secret, "{}");
            nodeOf.put(homey, node);
        }
        return nodeOf;
    }

    private static HomeyClient enrollOn(String node) {
        on(node);
        return HomeyClient.enroll().connect();
    }

    private static void on(String node) {
        RestAssured.port = ports.get(node);
    }

    /** Posts {@code body} for {@code homey} ({@code ?homey=}) to a node; the delivery ID of its 200. */
    private static String acceptedOn(String node, HomeyClient homey, String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + ports.get(node) + "/webhook/" + webhookId + "?homey=" + homey.homeyId))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("deliveryId").asText();
    }

    private static int post(String node, String query, String body) throws Exception {
        return post(node, webhookId, query, body);
    }

    private static int post(String node, String webhook, String query, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + ports.get(node)
                + "/webhook/" + webhook + query)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void startRedis() throws Exception {
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target/cluster-test-redis.log").toFile()))
                .start();
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            try (var socket = new java.net.Socket("127.0.0.1", redisPort)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start");
    }

    private static Process start(String node) throws Exception {
        int port = ports.get(node);
        Path log = Path.of("target/cluster-test-node-" + node + ".log");
        Files.deleteIfExists(log);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        var env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPorts.get(node)));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloakUrl + "/realms/quarkus/");
        env.put("QUARKUS_OIDC_CLIENT_ID", "quarkus-web-app");
        env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", "https://server.example.com,https://id.server.example.com");
        env.put("QUARKUS_OIDC_CREDENTIALS_SECRET", "secret");
        env.put("QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET", "cluster-test-session-cookie-secret");
        env.put("SWITCHBOARD_SECRETS_ENCRYPTION_KEY", KEY);
        env.put("SWITCHBOARD_SECRETS_ROTATION_GRACE_PERIOD", "0s");
        env.put("SWITCHBOARD_INGEST_RATE_PER_SECOND", "100000");
        env.put("SWITCHBOARD_INGEST_BURST", "100000");
        env.put("SWITCHBOARD_HOMEYS_ENROLLMENTS_PER_MINUTE", "100000");
        env.put("SWITCHBOARD_CLUSTER_REDIS_URL", "redis://127.0.0.1:" + redisPort);
        env.put("SWITCHBOARD_CLUSTER_NODE_ID", node);
        // An unacknowledged target stays in its node's memory until the node dies (aDeadNodesUnwrittenTargets...).
        env.put("SWITCHBOARD_DELIVERY_DEFERRED_TARGET_GRACE", "10m");
        return AppProcess.awaitReady(builder.start(), managementPorts.get(node), log, "Node " + node, Duration.ofSeconds(120));
    }
}
