package dev.switchboard.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.delivery.TargetChange.Event;
import dev.switchboard.delivery.TargetChange.Kind;

class TargetChangeTest {

    private static final Instant T = Instant.parse("2026-11-27T05:00:00.123Z");
    private static final String HOMEY_A = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String HOMEY_B = "bbbbbbbbbbbbbbbbbbbbbbbb";

    @Test
    void sendsAndAcksOfOneTargetBecomeOneChange() {
        String id = DeliveryIds.next(T);
        List<TargetChange> changes = TargetChange.merge(List.of(
                new Event(Kind.SENT, id, HOMEY_A, T.plusMillis(10)),
                new Event(Kind.ACKED, id, HOMEY_A, T.plusMillis(60)),
                new Event(Kind.SENT, id, HOMEY_A, T.plusMillis(5)), // a resend that arrived in the same batch
                new Event(Kind.ACKED, id, HOMEY_A, T.plusMillis(80))));

        assertEquals(List.of(new TargetChange(T, id, HOMEY_A, 2, T.plusMillis(5), T.plusMillis(10),
                T.plusMillis(60))), changes);
    }

    @Test
    void changesAreSortedByPrimaryKeySoWritersLockInOneOrder() {
        String later = DeliveryIds.next(T.plusSeconds(1));
        String earlier = DeliveryIds.next(T);
        List<TargetChange> changes = TargetChange.merge(List.of(
                new Event(Kind.ACKED, later, HOMEY_A, T),
                new Event(Kind.SENT, earlier, HOMEY_B, T),
                new Event(Kind.SENT, earlier, HOMEY_A, T)));

        assertEquals(List.of(earlier + HOMEY_A, earlier + HOMEY_B, later + HOMEY_A),
                changes.stream().map(c -> c.deliveryId() + c.homeyId()).toList());
        assertEquals(T.plusSeconds(1), changes.get(2).receivedAt(), "partition key from the ID");
        assertNull(changes.get(2).firstSent());
        assertEquals(0, changes.get(2).sends());
    }
}
