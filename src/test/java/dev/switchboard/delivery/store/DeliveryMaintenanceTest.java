package dev.switchboard.delivery.store;

import static dev.switchboard.delivery.TestDeliveries.await;
import static dev.switchboard.delivery.TestDeliveries.count;
import static dev.switchboard.delivery.TestDeliveries.partitionNames;
import static dev.switchboard.delivery.TestDeliveries.randomId;
import static dev.switchboard.delivery.TestDeliveries.record;
import static dev.switchboard.delivery.TestDeliveries.targets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.outcomes.DeliveryOutcomes;
import dev.switchboard.delivery.pending.PendingMessage;
import dev.switchboard.delivery.pending.PendingMessages;
import dev.switchboard.delivery.recording.DeliveryRecorder;
import dev.switchboard.delivery.store.DeliveryMaintenance.PartitionRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The jobs are called directly with their own "now" and limits. The scheduled run uses the production settings
 * (24 h TTL, cap 1000, 7 days), which none of these cases' data reaches, so it cannot interfere.
 */
@QuarkusTest
class DeliveryMaintenanceTest {

    @Inject
    DeliveryRecorder recorder;

    @Inject
    DeliveryOutcomes outcomes;

    @Inject
    DeliveryMaintenance maintenance;

    @Inject
    PendingMessages pending;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void expiryMarksWaitingMessagesOlderThanTheCutoffInBoundedRuns() throws Exception {
        String homey = randomId();
        DeliveryRecord old1 = record(randomId(), now.minus(3, ChronoUnit.HOURS), homey);
        DeliveryRecord old2 = record(randomId(), now.minus(2, ChronoUnit.HOURS), homey);
        DeliveryRecord oldAcked = record(randomId(), now.minus(150, ChronoUnit.MINUTES), homey);
        DeliveryRecord oldSent = record(randomId(), now.minus(100, ChronoUnit.MINUTES), homey);
        DeliveryRecord fresh = record(randomId(), now.minus(10, ChronoUnit.MINUTES), homey);
        for (DeliveryRecord r : List.of(old1, old2, oldAcked, oldSent, fresh)) {
            await(recorder.record(r));
        }
        outcomes.acked(oldAcked.id(), homey, now);
        outcomes.sent(oldSent.id(), homey, now);
        outcomes.flush();
        double expiredBefore = registry.get("switchboard.delivery.targets.expired").counter().count();

        Instant cutoff = now.minus(1, ChronoUnit.HOURS);
        assertEquals(1, maintenance.expire(cutoff, 1), "a run stops at its limit");
        int runs = 1;
        while (maintenance.expire(cutoff, 1) > 0) {
            runs++;
        }

        assertTrue(runs >= 3, "three of ours were due, one per run");
        assertEquals("expired", state(old1, homey));
        assertEquals("expired", state(old2, homey));
        assertEquals("expired", state(oldSent, homey), "sent but never acknowledged");
        assertEquals("acked", state(oldAcked, homey));
        assertEquals("pending", state(fresh, homey));
        assertEquals(List.of(fresh.id()),
                pending.oldestAfter(homey, null, 10).stream().map(PendingMessage::deliveryId).toList());
        assertTrue(registry.get("switchboard.delivery.targets.expired").counter().count() - expiredBefore >= 3);
    }

    @Test
    void theCapDropsAHomeysOldestWaitingMessagesAndNobodyElses() throws Exception {
        String homey = randomId();
        String quiet = randomId();
        List<DeliveryRecord> waiting = new ArrayList<>();
        for (int i = 6; i >= 1; i--) {
            // The quiet Homey shares the two newest messages only: under the cap, it keeps everything.
            DeliveryRecord r = i <= 2 ? record(randomId(), now.minus(i, ChronoUnit.MINUTES), homey, quiet)
                    : record(randomId(), now.minus(i, ChronoUnit.MINUTES), homey);
            await(recorder.record(r));
            waiting.add(r);
        }
        outcomes.acked(waiting.get(0).id(), homey, now); // acknowledged: not waiting, not counted
        outcomes.flush();

        Map<String, Integer> dropped = maintenance.enforceCap(List.of(homey, quiet), 3);

        assertEquals(Map.of(homey, 2), dropped, "5 waiting, cap 3");
        assertEquals(2, pending.countFor(quiet));
        assertEquals("acked", state(waiting.get(0), homey));
        assertEquals("dropped", state(waiting.get(1), homey));
        assertEquals("dropped", state(waiting.get(2), homey));
        assertEquals(List.of(waiting.get(3).id(), waiting.get(4).id(), waiting.get(5).id()),
                pending.oldestAfter(homey, null, 10).stream().map(PendingMessage::deliveryId).toList());
        assertEquals(Map.of(), maintenance.enforceCap(List.of(homey), 3), "already within the cap");
    }

    @Test
    void retentionDropsWholeOldPartitionsAndCreatesFutureOnes() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate sixDaysAgo = today.minusDays(6);
        // A row in the oldest day: its partition goes with it, no row deletes.
        DeliveryRecord old = record(randomId(), sixDaysAgo.atTime(12, 0).toInstant(ZoneOffset.UTC), randomId());
        await(recorder.record(old));
        new DeliveryPartitions(dataSource).ensure(today.minusDays(5), today.minusDays(5));
        assertEquals(1, count(dataSource, "SELECT count(*) FROM delivery WHERE id = ?", old.id()));

        PartitionRun run = runUntilNotSkipped(today, Duration.ofDays(5), 4);

        List<String> names = partitionNames(dataSource);
        assertEquals(List.of(DeliveryPartitions.partitionName("delivery", sixDaysAgo),
                DeliveryPartitions.partitionName("delivery_target", sixDaysAgo)), run.dropped());
        assertFalse(names.contains(DeliveryPartitions.partitionName("delivery", sixDaysAgo)));
        assertFalse(names.contains(DeliveryPartitions.partitionName("delivery_target", sixDaysAgo)));
        assertTrue(names.contains(DeliveryPartitions.partitionName("delivery", today.minusDays(5))), "kept");
        for (int ahead = 0; ahead <= 4; ahead++) {
            assertTrue(names.contains(DeliveryPartitions.partitionName("delivery", today.plusDays(ahead))));
            assertTrue(names.contains(DeliveryPartitions.partitionName("delivery_target", today.plusDays(ahead))));
        }
        assertEquals(0, count(dataSource, "SELECT count(*) FROM delivery WHERE id = ?", old.id()));
        assertEquals(0, targets(dataSource, old.id()).size());
        assertEquals(0, count(dataSource, "SELECT count(*) FROM pg_class WHERE relname = ?",
                DeliveryPartitions.partitionName("delivery", sixDaysAgo)), "detached and dropped, not left behind");
    }

    @Test
    void theWaitingGaugeShowsTheLastCount() {
        long counted = maintenance.refreshWaiting();
        assertEquals(counted, registry.get("switchboard.delivery.targets.waiting").gauge().value());
    }

    /** The scheduled run may hold the retention lock for a moment; a skipped run does nothing, so run again. */
    private PartitionRun runUntilNotSkipped(LocalDate today, Duration retention, int ahead) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            PartitionRun run = maintenance.maintainPartitions(today, retention, ahead);
            if (!run.retentionSkipped()) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("retention lock never free");
    }

    private String state(DeliveryRecord r, String homey) throws Exception {
        return targets(dataSource, r.id()).get(homey).state();
    }
}
