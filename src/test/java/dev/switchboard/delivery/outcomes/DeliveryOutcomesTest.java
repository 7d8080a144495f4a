package dev.switchboard.delivery.outcomes;

import static dev.switchboard.delivery.TestDeliveries.await;
import static dev.switchboard.delivery.TestDeliveries.randomId;
import static dev.switchboard.delivery.TestDeliveries.record;
import static dev.switchboard.delivery.TestDeliveries.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.TestDeliveries.Target;
import dev.switchboard.delivery.recording.DeliveryRecorder;
import dev.switchboard.delivery.store.DeliveryMaintenance;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DeliveryOutcomesTest {

    @Inject
    DeliveryRecorder recorder;

    @Inject
    DeliveryOutcomes outcomes;

    @Inject
    DeliveryMaintenance maintenance;

    @Inject
    DataSource dataSource;

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void aSendMarksTheTargetDeliveredAndCountsAttempts() throws Exception {
        String homey = randomId();
        String other = randomId();
        DeliveryRecord r = record(randomId(), t0, homey, other);
        await(recorder.record(r));

        outcomes.sent(r.id(), homey, t0.plusMillis(5));
        outcomes.flush();
        Target first = targets(dataSource, r.id()).get(homey);
        assertEquals("delivered", first.state());
        assertEquals(1, first.attempts());
        assertEquals(t0.plusMillis(5), first.firstSentAt());
        assertEquals(t0.plusMillis(5), first.lastSentAt());

        outcomes.sent(r.id(), homey, t0.plusMillis(900)); // resent on the next connection
        outcomes.flush();
        Target again = targets(dataSource, r.id()).get(homey);
        assertEquals(2, again.attempts());
        assertEquals(t0.plusMillis(5), again.firstSentAt());
        assertEquals(t0.plusMillis(900), again.lastSentAt());

        assertEquals("pending", targets(dataSource, r.id()).get(other).state(), "only that Homey's target changes");
    }

    @Test
    void anAckMarksTheTargetAckedAndALateSendDoesNotUndoIt() throws Exception {
        String homey = randomId();
        DeliveryRecord r = record(randomId(), t0, homey);
        await(recorder.record(r));

        outcomes.sent(r.id(), homey, t0.plusMillis(1));
        outcomes.acked(r.id(), homey, t0.plusMillis(40));
        outcomes.flush();
        Target acked = targets(dataSource, r.id()).get(homey);
        assertEquals("acked", acked.state());
        assertEquals(t0.plusMillis(40), acked.ackedAt());
        assertEquals(1, acked.attempts());

        outcomes.sent(r.id(), homey, t0.plusMillis(2000));
        outcomes.flush();
        Target after = targets(dataSource, r.id()).get(homey);
        assertEquals("acked", after.state());
        assertEquals(t0.plusMillis(40), after.ackedAt());
        assertEquals(2, after.attempts());
    }

    @Test
    void anAckWithoutARecordedSendStillCounts() throws Exception {
        String homey = randomId();
        DeliveryRecord r = record(randomId(), t0, homey);
        await(recorder.record(r));

        outcomes.acked(r.id(), homey, t0.plusMillis(7)); // the send's update was lost; the ack is what matters
        outcomes.flush();
        Target acked = targets(dataSource, r.id()).get(homey);
        assertEquals("acked", acked.state());
        assertEquals(0, acked.attempts());
        assertNull(acked.firstSentAt());
    }

    @Test
    void aSendDoesNotReviveAnExpiredTargetButItsAckIsKept() throws Exception {
        String homey = randomId();
        Instant old = t0.minus(2, ChronoUnit.HOURS);
        DeliveryRecord r = record(randomId(), old, homey);
        await(recorder.record(r));
        maintenance.expire(old.plusSeconds(1), 1000);

        outcomes.sent(r.id(), homey, t0);
        outcomes.flush();
        assertEquals("expired", targets(dataSource, r.id()).get(homey).state());

        outcomes.acked(r.id(), homey, t0.plusMillis(3));
        outcomes.flush();
        assertEquals("acked", targets(dataSource, r.id()).get(homey).state(), "the Homey has it after all");
    }

    @Test
    void malformedAndUnknownIdsAreIgnored() throws Exception {
        String homey = randomId();
        DeliveryRecord r = record(randomId(), t0, homey);
        await(recorder.record(r));

        outcomes.acked("not-a-delivery-id", homey, t0); // a Homey can send any id
        outcomes.acked(DeliveryIds.next(t0), homey, t0); // well-formed, never recorded
        outcomes.acked(r.id(), homey, t0.plusMillis(1));
        outcomes.flush();

        Map<String, Target> after = targets(dataSource, r.id());
        assertEquals("acked", after.get(homey).state(), "the batch with the unknown ids was still written");
    }

    @Test
    void aDeferredTargetWhoseRowRecoveryWroteFirstStillGetsItsOutcome() throws Exception {
        String online = randomId();
        String offline = randomId();
        DeliveryRecord plain = record(randomId(), t0, online, offline);
        List<String> deferred = outcomes.defer(plain.id(), plain.webhookId(), List.of(online));
        assertEquals(List.of(online), deferred);
        DeliveryRecord r = new DeliveryRecord(plain.id(), plain.webhookId(), plain.receivedAt(), plain.method(),
                plain.headers(), plain.rawQuery(), plain.contentType(), plain.body(), plain.routedBy(),
                plain.ruleDetail(), plain.homeyIds(), deferred, plain.replayOf());
        await(recorder.record(r));
        outcomes.committed(r.id(), deferred);
        assertEquals(Map.of(offline, "pending"), states(r.id()), "only the offline Homey's row is written with it");

        // As after a crash: recovery writes the row of the deferred target as pending.
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            TargetRows.recover(c);
        }
        assertEquals(Map.of(online, "pending", offline, "pending"), states(r.id()));

        outcomes.sent(r.id(), online, t0.plusMillis(2));
        outcomes.acked(r.id(), online, t0.plusMillis(7));
        outcomes.flush();
        Target written = targets(dataSource, r.id()).get(online);
        assertEquals("acked", written.state(), "the outcome lands on the recovered row");
        assertEquals(1, written.attempts());
        assertEquals(t0.plusMillis(7), written.ackedAt());
    }

    private Map<String, String> states(String deliveryId) throws Exception {
        Map<String, String> states = new TreeMap<>();
        targets(dataSource, deliveryId).forEach((homey, target) -> states.put(homey, target.state()));
        return states;
    }
}
