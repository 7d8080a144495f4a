package dev.switchboard.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * The baseline: what any JVM HTTP endpoint on this machine costs, with none of Switchboard's work. It reads the
 * body, parses the JSON, reads {@code device_id} and answers 200 with a delivery-shaped JSON, on plain Vert.x (what
 * Quarkus' HTTP layer runs on) with the same event-loop count, transport, JVM options and CPU as the app. Run by the
 * benchmark as {@code java <jvm opts> -cp <bench classpath> dev.switchboard.bench.BareEndpoint <port>}.
 */
public final class BareEndpoint {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final String NATIVE_TRANSPORT = "quarkus.vertx.prefer-native-transport";

    private BareEndpoint() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(appPrefersNativeTransport()));
        int eventLoops = 2 * Runtime.getRuntime().availableProcessors(); // Vert.x's and Quarkus' default
        for (int i = 0; i < eventLoops; i++) {
            vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("0.0.0.0"))
                    .requestHandler(request -> request.body().onSuccess(body -> {
                        String deviceId;
                        try {
                            JsonNode json = JSON.readTree(body.getBytes());
                            deviceId = json.path("device_id").asText("");
                        } catch (Exception e) {
                            request.response().setStatusCode(400).end();
                            return;
                        }
                        byte[] random = new byte[6];
                        ThreadLocalRandom.current().nextBytes(random);
                        String id = String.format("%012x", System.currentTimeMillis()) + HEX.formatHex(random);
                        request.response().putHeader("Content-Type", "application/json")
                                .end("{\"status\":\"accepted\",\"deliveryId\":\"" + id + "\",\"device\":\""
                                        + deviceId.length() + "\"}");
                    }))
                    .listen()
                    .toCompletionStage().toCompletableFuture().join();
        }
        System.out.println("Bare endpoint listening on " + port + " with " + eventLoops + " event loops, "
                + (vertx.isNativeTransportEnabled() ? "native" : "NIO") + " transport");
    }

    /**
     * The transport the app runs on: its application.properties (on this classpath) decides, unless the JVM options
     * given to both say otherwise.
     */
    private static boolean appPrefersNativeTransport() throws IOException {
        Properties app = new Properties();
        try (InputStream in = BareEndpoint.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                app.load(in);
            }
        }
        return Boolean.parseBoolean(System.getProperty(NATIVE_TRANSPORT, app.getProperty(NATIVE_TRANSPORT, "false")));
    }
}
