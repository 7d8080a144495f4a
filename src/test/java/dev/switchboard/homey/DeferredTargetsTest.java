package dev.switchboard.homey;

import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.outcomes.DeliveryOutcomes;
import dev.switchboard.support.Eventually;
import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Targets of online Homeys are deferred (DeliveryOutcomes#defer): their rows are written once, with the outcome.
 * What a user sees must not change: the log shows them from the start, and nothing is lost or overtaken.
 */
@QuarkusTest
@TestProfile(DeferredTargetsTest.PatientHomey.class)
class DeferredTargetsTest {

    /**
     * The Homey here takes its time on purpose: with the 2 s ack timeout and grace of %test, a slow machine would see
     * a resend or a row written as delivered before the test looks.
     */
    public static class PatientHomey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.homeys.ack-timeout", "60s",
                    "switchboard.delivery.deferred-target-grace", "60s");
        }
    }

    @Inject
    DeliveryOutcomes outcomes;
    @Inject
    DataSource dataSource;

    @Test
    void anAcknowledgedMessageGetsItsTargetRowOnceAndTheLogShowsItThroughout() throws SQLException {
        Webhooks webhook = Webhooks.create("deferred-a");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            String id = given().post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200)
                    .extract().path("deliveryId");
            JsonNode message = homey.next(); // not acknowledged (nextMessage would)
            assertEquals(id, message.get("id").asText());

            assertEquals(List.of(homey.homeyId), deferredHomeys(id), "the delivery lists the deferred target");
            // Not acknowledged yet, and the grace period has not passed: no row, but the log still shows it.
            assertEquals(List.of(), targetStates(id), "no row before the outcome is known");
            String url = "/api/v1/webhooks/" + webhook.id + "/deliveries/" + id;
            as(webhook.owner).get(url).then().statusCode(200)
                    .body("matched", equalTo(1))
                    .body("targets[0].homeyId", equalTo(homey.homeyId))
                    .body("targets[0].state", equalTo("pending"));

            homey.ack(message);
            Eventually.until("the acknowledged target is written", () -> {
                outcomes.flush();
                return targetStates(id).equals(List.of("acked"));
            });
            as(webhook.owner).get(url).then().statusCode(200)
                    .body("targets.size()", equalTo(1))
                    .body("targets[0].state", equalTo("acked"));
        }
    }

    @Test
    void messagesBeyondTheWindowWaitInTheDatabaseAndFollowInOrder() {
        Webhooks webhook = Webhooks.create("deferred-b");
        int window = 256; // switchboard.homeys.max-in-flight
        int total = window + 4;
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{}");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                sent.add(given().contentType("application/json").body("{\"n\":" + i + "}")
                        .post(webhook.url() + "?homey=" + homey.homeyId).then().statusCode(200)
                        .extract().path("deliveryId"));
            }
            // The Homey acknowledges nothing until the window is full: the rest could not be taken at once, so
            // their targets were written as pending and follow, in order, as acknowledgements free room.
            List<String> received = new ArrayList<>();
            List<JsonNode> unacknowledged = new ArrayList<>();
            while (received.size() < window) {
                JsonNode message = homey.next();
                if (!received.contains(message.get("id").asText())) { // a resend, on a machine slower than the timeout
                    received.add(message.get("id").asText());
                    unacknowledged.add(message);
                }
            }
            outcomes.flush();
            assertEquals(List.of("pending"), targetStates(sent.get(total - 1)),
                    "a message the Homey could not take waits in the database");
            unacknowledged.forEach(homey::ack);
            while (received.size() < total) {
                JsonNode message = homey.nextMessage();
                if (!received.contains(message.get("id").asText())) {
                    received.add(message.get("id").asText());
                }
            }
            assertEquals(sent, received, "all of them, in order");
        }
    }

    private List<String> deferredHomeys(String deliveryId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT deferred_homey_ids FROM delivery"
                        + " WHERE received_at = ? AND id = ?")) {
            s.setObject(1, OffsetDateTime.ofInstant(DeliveryIds.timeOf(deliveryId), ZoneOffset.UTC));
            s.setString(2, deliveryId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertNotNull(rs.getArray(1), "deferred_homey_ids");
                return List.of((String[]) rs.getArray(1).getArray());
            }
        }
    }

    /** The state of each target row of the delivery. */
    private List<String> targetStates(String deliveryId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT state FROM delivery_target"
                        + " WHERE received_at = ? AND delivery_id = ?")) {
            s.setObject(1, OffsetDateTime.ofInstant(DeliveryIds.timeOf(deliveryId), ZoneOffset.UTC));
            s.setString(2, deliveryId);
            List<String> states = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    states.add(rs.getString(1));
                }
            }
            return states;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
