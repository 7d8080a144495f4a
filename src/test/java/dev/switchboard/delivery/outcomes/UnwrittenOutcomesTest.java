package dev.switchboard.delivery.outcomes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.outcomes.TargetChange.Event;
import dev.switchboard.delivery.outcomes.TargetChange.Kind;

class UnwrittenOutcomesTest {

    private static final Instant T = Instant.parse("2026-11-27T05:00:00.123Z");
    private static final String HOMEY_A = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String HOMEY_B = "bbbbbbbbbbbbbbbbbbbbbbbb";

    private final UnwrittenOutcomes unwritten = new UnwrittenOutcomes(2);

    @Test
    void sendsAndAcksOfOneTargetBecomeOneChange() {
        String id = DeliveryIds.next(T);
        unwritten.add(new Event(Kind.SENT, id, HOMEY_A, T.plusMillis(10)));
        unwritten.add(new Event(Kind.ACKED, id, HOMEY_A, T.plusMillis(60)));
        unwritten.add(new Event(Kind.SENT, id, HOMEY_A, T.plusMillis(5))); // a resend that overtook the first
        unwritten.add(new Event(Kind.ACKED, id, HOMEY_A, T.plusMillis(80)));

        assertEquals(List.of(new TargetChange(T, id, HOMEY_A, 2, T.plusMillis(5), T.plusMillis(10),
                T.plusMillis(60))), updates(unwritten));
        assertEquals(List.of(), updates(unwritten), "taking leaves nothing behind");
    }

    @Test
    void changesComeSortedByPrimaryKeySoWritersLockInOneOrder() {
        UnwrittenOutcomes roomy = new UnwrittenOutcomes(10);
        String later = DeliveryIds.next(T.plusSeconds(1));
        String earlier = DeliveryIds.next(T);
        roomy.add(new Event(Kind.ACKED, later, HOMEY_A, T));
        roomy.add(new Event(Kind.SENT, earlier, HOMEY_B, T));
        roomy.add(new Event(Kind.SENT, earlier, HOMEY_A, T));

        List<TargetChange> changes = updates(roomy);

        assertEquals(List.of(earlier + HOMEY_A, earlier + HOMEY_B, later + HOMEY_A),
                changes.stream().map(c -> c.deliveryId() + c.homeyId()).toList());
        assertEquals(T.plusSeconds(1), changes.get(2).receivedAt(), "partition key from the ID");
        assertNull(changes.get(2).firstSent());
        assertEquals(0, changes.get(2).sends());
    }

    @Test
    void aFullBufferRefusesNewTargetsButStillMergesKnownOnes() {
        String one = DeliveryIds.next(T);
        String two = DeliveryIds.next(T);
        assertTrue(unwritten.add(new Event(Kind.SENT, one, HOMEY_A, T)));
        assertTrue(unwritten.add(new Event(Kind.SENT, two, HOMEY_A, T)));

        assertFalse(unwritten.add(new Event(Kind.SENT, DeliveryIds.next(T), HOMEY_A, T)));
        assertTrue(unwritten.add(new Event(Kind.ACKED, one, HOMEY_A, T.plusMillis(3))), "costs no more memory");
        assertEquals(2, unwritten.size());
    }

    @Test
    void aDeferredTargetIsWrittenOnceWithItsAckAndOnlyAfterItsDeliveryIsCommitted() {
        UnwrittenOutcomes roomy = new UnwrittenOutcomes(10);
        String id = DeliveryIds.next(T);
        assertEquals(List.of(HOMEY_A, HOMEY_B), roomy.defer(id, "webhook", List.of(HOMEY_A, HOMEY_B), 0));
        roomy.add(new Event(Kind.SENT, id, HOMEY_A, T.plusMillis(1)));
        roomy.add(new Event(Kind.ACKED, id, HOMEY_A, T.plusMillis(4)));
        assertTrue(roomy.takeDue(1, GRACE, true).isEmpty(), "not committed: its row would have no delivery");

        roomy.committed(id, List.of(HOMEY_A, HOMEY_B));
        UnwrittenOutcomes.Due due = roomy.takeDue(2, GRACE, false);
        assertEquals(List.of(), due.updates(), "its events went into the deferred target, not into row updates");
        assertEquals(1, due.inserts().size(), "the acknowledged one is due; the other waits for its ack");
        UnwrittenOutcomes.Deferred acked = due.inserts().get(0);
        assertEquals(HOMEY_A, acked.homeyId);
        assertEquals("webhook", acked.webhookId);
        assertEquals(new TargetChange(T, id, HOMEY_A, 1, T.plusMillis(1), T.plusMillis(1), T.plusMillis(4)),
                acked.change);
        assertEquals(T, roomy.oldestDeferred(), "the unacknowledged one keeps the checkpoint back");

        UnwrittenOutcomes.Due afterGrace = roomy.takeDue(GRACE + 1, GRACE, false);
        assertEquals(List.of(HOMEY_B), afterGrace.inserts().stream().map(d -> d.homeyId).toList(),
                "after the grace period it is written without an ack");
        assertNull(roomy.oldestDeferred());
    }

    @Test
    void aDeclinedDeferredTargetIsDueAtOnceAndAnAbandonedOneIsForgotten() {
        UnwrittenOutcomes roomy = new UnwrittenOutcomes(10);
        String declined = DeliveryIds.next(T);
        String abandoned = DeliveryIds.next(T);
        roomy.defer(declined, "webhook", List.of(HOMEY_A), 0);
        roomy.defer(abandoned, "webhook", List.of(HOMEY_A), 0);
        roomy.committed(declined, List.of(HOMEY_A));
        roomy.abandoned(abandoned, List.of(HOMEY_A));
        roomy.declined(declined, HOMEY_A);

        UnwrittenOutcomes.Due due = roomy.takeDue(1, GRACE, false);
        assertEquals(List.of(declined), due.inserts().stream().map(d -> d.deliveryId).toList());
        assertNull(due.inserts().get(0).change, "never sent: written as pending");
        assertEquals(0, roomy.size());
    }

    @Test
    void aDeferredTargetWhoseRowCouldNotBeWrittenIsHeldAgainWithWhatHappenedMeanwhile() {
        UnwrittenOutcomes roomy = new UnwrittenOutcomes(10);
        String id = DeliveryIds.next(T);
        roomy.defer(id, "webhook", List.of(HOMEY_A), 0);
        roomy.committed(id, List.of(HOMEY_A));
        roomy.add(new Event(Kind.SENT, id, HOMEY_A, T.plusMillis(1)));
        List<UnwrittenOutcomes.Deferred> failed = roomy.takeDue(GRACE, GRACE, false).inserts();
        roomy.add(new Event(Kind.ACKED, id, HOMEY_A, T.plusMillis(9))); // arrives while the write fails

        roomy.putBack(failed);

        UnwrittenOutcomes.Due retry = roomy.takeDue(GRACE, GRACE, false);
        assertEquals(List.of(), retry.updates(), "the ack is not a row update: the row does not exist");
        assertEquals(T.plusMillis(9), retry.inserts().get(0).change.acked());
    }

    @Test
    void deferringStopsAtCapacity() {
        String id = DeliveryIds.next(T);
        assertEquals(List.of(HOMEY_A, HOMEY_B), unwritten.defer(id, "webhook", List.of(HOMEY_A, HOMEY_B), 0));
        assertEquals(List.of(), unwritten.defer(DeliveryIds.next(T), "webhook", List.of(HOMEY_A), 0),
                "full: the recorder writes its pending row instead");
    }

    private static final long GRACE = 1_000;

    private static List<TargetChange> updates(UnwrittenOutcomes unwritten) {
        return unwritten.takeDue(0, GRACE, false).updates();
    }
}
