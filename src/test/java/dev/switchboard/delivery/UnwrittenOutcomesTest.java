package dev.switchboard.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.delivery.TargetChange.Event;
import dev.switchboard.delivery.TargetChange.Kind;

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
                T.plusMillis(60))), unwritten.takeAll());
        assertEquals(List.of(), unwritten.takeAll(), "taking leaves nothing behind");
    }

    @Test
    void changesComeSortedByPrimaryKeySoWritersLockInOneOrder() {
        UnwrittenOutcomes roomy = new UnwrittenOutcomes(10);
        String later = DeliveryIds.next(T.plusSeconds(1));
        String earlier = DeliveryIds.next(T);
        roomy.add(new Event(Kind.ACKED, later, HOMEY_A, T));
        roomy.add(new Event(Kind.SENT, earlier, HOMEY_B, T));
        roomy.add(new Event(Kind.SENT, earlier, HOMEY_A, T));

        List<TargetChange> changes = roomy.takeAll();

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
}
