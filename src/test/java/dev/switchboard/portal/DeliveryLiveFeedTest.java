package dev.switchboard.portal;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.delivery.log.DeliveryCursor;
import dev.switchboard.delivery.log.DeliveryFeed;
import dev.switchboard.delivery.log.DeliveryLogConfig;
import dev.switchboard.delivery.outcomes.DeliveryOutcomes;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * The live log's SSE stream as the htmx sse extension reads it: the page's rows as they are when the stream starts,
 * then named events carrying rows for htmx's out-of-band swap.
 */
@QuarkusTest
class DeliveryLiveFeedTest {

    record Event(String name, String data) {
    }

    @Inject
    DeliveryFeed feed;

    @Inject
    DeliveryOutcomes outcomes;

    @Inject
    DeliveryLogConfig config;

    @Inject
    DataSource dataSource;

    @Test
    void newDeliveriesAndTheirOutcomesStreamAsRowsUntilTheBrowserLeaves() throws Exception {
        Webhooks webhook = Webhooks.create("live-owner");
        try (HomeyClient homey = HomeyClient.enroll().connect();
                Stream all = Stream.open(webhook, "");
                Stream unmatchedOnly = Stream.open(webhook, "?outcome=no_match")) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            assertTrue(all.rows.contains("data-testid=\"no-deliveries\">No deliveries yet."), all.rows);

            String routed = given().contentType("application/json").body("{\"on\":true}")
                    .post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200).extract().path("deliveryId");
            Event added = all.next(e -> e.name().equals("delivery"));
            assertTrue(added.data().startsWith("<tbody hx-swap-oob=\"afterbegin:#delivery-rows\">"), added.data());
            assertTrue(added.data().contains("id=\"delivery-" + routed + "\""), added.data());
            assertTrue(added.data().contains("data-outcome=\"pending\""), added.data());

            JsonNode message = homey.next();
            assertEquals(routed, message.get("id").asText());
            homey.ack(message);
            Event acked = all.next(e -> e.name().equals("outcome") && e.data().contains("data-outcome=\"acked\""));
            assertTrue(acked.data().startsWith("<tr id=\"delivery-" + routed + "\" hx-swap-oob=\"true\""), acked.data());

            // The filtered view neither shows the routed delivery nor hears of its outcomes; it shows the one that
            // reached nobody.
            String unrouted = given().post(webhook.url()).then().statusCode(200).extract().path("deliveryId");
            Event only = unmatchedOnly.next(e -> !e.name().equals("comment"));
            assertEquals("delivery", only.name());
            assertTrue(only.data().contains("id=\"delivery-" + unrouted + "\""), only.data());
            assertTrue(only.data().contains("data-outcome=\"no_match\""), only.data());
        }
        awaitNoWatchers();
    }

    @Test
    void aStreamStartsWithTheRowsAsTheyAreNowSoAPageMissesNothingCommittedBeforeItListened() throws Exception {
        Webhooks webhook = Webhooks.create("live-owner");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            String first = given().post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200)
                    .extract().path("deliveryId");
            String second = given().post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200)
                    .extract().path("deliveryId");
            homey.nextMessage();
            homey.nextMessage();
            // Both acknowledged and written before the streams below listen, as when a Homey acks between the page
            // being rendered (rows pending) and its stream connecting: the stream's first event has them acked.
            Eventually.until("both acks are in the log", () -> {
                outcomes.flush();
                return as(webhook.owner).get("/api/v1/webhooks/" + webhook.id + "/deliveries?outcome=acked")
                        .then().statusCode(200).extract().jsonPath().getList("items").size() == 2;
            });

            try (Stream newest = Stream.open(webhook, "");
                    Stream older = Stream.open(webhook, "?limit=1&cursor=" + DeliveryCursor.of(second))) {
                assertTrue(newest.rows.startsWith("<tbody id=\"delivery-rows\" hx-swap-oob=\"innerHTML\">"),
                        newest.rows);
                assertTrue(newest.rows.indexOf("id=\"delivery-" + second + "\"")
                        < newest.rows.indexOf("id=\"delivery-" + first + "\""), "newest first: " + newest.rows);
                assertEquals(2, newest.rows.split("data-outcome=\"acked\"", -1).length - 1, newest.rows);
                assertTrue(older.rows.contains("id=\"delivery-" + first + "\""), older.rows);
                assertFalse(older.rows.contains("id=\"delivery-" + second + "\""), "the page after the cursor");
            }
        }
        awaitNoWatchers();
    }

    @Test
    void aStreamThatLostChangesSendsItsRowsAgainAsTheyAreNow() throws Exception {
        Webhooks webhook = Webhooks.create("live-owner");
        try (HomeyClient homey = HomeyClient.enroll().connect(); Stream all = Stream.open(webhook, "")) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            String routed = given().post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200)
                    .extract().path("deliveryId");
            all.next(e -> e.name().equals("delivery") && e.data().contains("id=\"delivery-" + routed + "\""));
            homey.nextMessage();
            outcomes.flush();

            // Acknowledged behind the feed's back, as when it dropped the change: only reading again shows it.
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "UPDATE delivery_target SET state = 'acked', acked_at = now() WHERE delivery_id = ?")) {
                s.setString(1, routed);
                assertEquals(1, s.executeUpdate());
            }
            feed.committed(IntStream.rangeClosed(0, config.liveMaxPendingChanges()).mapToObj(i -> "lost-" + i)
                    .toList());

            Event again = all.next(e -> e.name().equals("rows"));
            assertTrue(again.data().startsWith("<tbody id=\"delivery-rows\" hx-swap-oob=\"innerHTML\">"),
                    again.data());
            assertEquals(1, again.data().split("id=\"delivery-" + routed + "\"", -1).length - 1, again.data());
            assertTrue(again.data().contains("data-outcome=\"acked\""), again.data());
        }
        awaitNoWatchers();
    }

    private void awaitNoWatchers() throws InterruptedException {
        for (int i = 0; i < 100 && feed.watcherCount() > 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(0, feed.watcherCount(), "closed streams stop watching");
    }

    /** An SSE connection with the owner's bearer token, parsed into events on a background thread. */
    static final class Stream implements AutoCloseable {
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final InputStream body;
        /** The first event's rows: the page as it was when the stream started listening. */
        String rows;

        private Stream(InputStream body) {
            this.body = body;
            Thread reader = new Thread(this::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static Stream open(Webhooks webhook, String query) throws Exception {
            String token = dev.switchboard.support.Tokens.bearer(webhook.owner);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                    + "/webhooks/" + webhook.id + "/deliveries/live" + query))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            Stream stream = new Stream(response.body());
            Event first = stream.next(e -> !e.name().equals("comment"));
            assertEquals("rows", first.name(), first.data());
            stream.rows = first.data();
            return stream;
        }

        Event next(java.util.function.Predicate<Event> wanted) throws InterruptedException {
            for (;;) {
                Event event = events.poll(15, TimeUnit.SECONDS);
                assertNotNull(event, "no wanted event within 15 s");
                if (wanted.test(event)) {
                    return event;
                }
            }
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String name = "message";
                StringBuilder data = new StringBuilder();
                for (String line; (line = lines.readLine()) != null;) {
                    if (line.isEmpty()) {
                        if (data.length() > 0) {
                            events.add(new Event(name, data.toString()));
                        }
                        name = "message";
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        events.add(new Event("comment", line.substring(1).strip()));
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        if (data.length() > 0) {
                            data.append('\n');
                        }
                        data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                    }
                }
            } catch (java.io.IOException closed) {
                // the test closed the stream
            }
        }

        @Override
        public void close() throws Exception {
            body.close();
        }
    }
}
