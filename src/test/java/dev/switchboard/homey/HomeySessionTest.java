package dev.switchboard.homey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.switchboard.delivery.DeliveryIds;

/** The per-Homey window: in order, bounded, and reading the database backlog page by page. */
class HomeySessionTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final byte[] FRAME = bytes("frame");

    private final HomeySession session = new HomeySession("homey", null, 2);

    @Test
    void aRefillReadsOnFromTheLastMessageItLoadedInsteadOfFromTheOldest() {
        String m1 = id(1);
        String m2 = id(2);
        assertNull(session.refilledUpTo(), "a new socket reads its backlog from the oldest");

        assertEquals(2, session.startRefill());
        List<HomeySession.InFlight> sent = session.finishRefill(List.of(message(m1), message(m2)), 2,
                Function.identity(), T0);
        assertEquals(List.of(m1, m2), sent.stream().map(HomeySession.InFlight::deliveryId).toList());
        assertEquals(m2, session.refilledUpTo());

        session.ack(m1);
        assertEquals(1, session.startRefill(), "an ack frees one place");
        session.finishRefill(List.of(), 1, Function.identity(), T0);
        assertEquals(m2, session.refilledUpTo(), "an empty page keeps the cursor");
        assertFalse(session.hasBacklog(), "fewer rows than asked for: the backlog is drained");
    }

    @Test
    void whileOlderMessagesWaitANewOneWaitsItsTurn() {
        assertEquals(2, session.startRefill());
        session.finishRefill(List.of(message(id(1)), message(id(2))), 2, Function.identity(), T0);

        assertFalse(session.offer(id(3), FRAME, T0), "the window is full: it waits in the database");
        assertTrue(session.hasBacklog());
        assertEquals(0, session.startRefill(), "no room until an ack");
    }

    @Test
    void aMessageCommittedAfterARefillPassedItsPlaceIsSentAtOnce() {
        String early = id(1);
        String later = id(2);
        assertEquals(2, session.startRefill());
        assertFalse(session.offer(id(3), FRAME, T0), "arrives during the refill: waits in the database");
        session.finishRefill(List.of(message(later)), 2, Function.identity(), T0);
        assertEquals(later, session.refilledUpTo());
        assertTrue(session.hasBacklog(), "id(3) still waits");

        // Received first, committed last: no later refill reads behind the cursor, so it must not wait for one.
        assertTrue(session.offer(early, FRAME, T0));
        assertEquals(2, session.inFlightCount());
    }

    @Test
    void aMessageHeldBackBeforeItsRowIsWrittenIsNotOvertakenByANewerOne() {
        String m1 = id(1);
        String m2 = id(2);
        String m3 = id(3);
        HomeySession wide = new HomeySession("homey", null, 10);
        assertEquals(10, wide.startRefill(), "a new socket reads its backlog first");
        assertFalse(wide.offerDeferred(m1, FRAME, T0), "committed during the refill: waits, its row unwritten");
        wide.finishRefill(List.<HomeySession.InFlight> of(), 10, Function.identity(), T0);

        // The next refill reads before m1's row is written: it finds nothing, yet the backlog is not drained.
        assertEquals(10, wide.startRefill());
        wide.finishRefill(List.<HomeySession.InFlight> of(), 10, Function.identity(), T0);
        assertTrue(wide.hasBacklog(), "m1's row is not written yet");
        assertFalse(wide.offerDeferred(m2, FRAME, T0), "m2 must not overtake m1");

        // m2's row is written first and a refill reads it: it still waits for m1.
        assertFalse(wide.offerAgain(m2, FRAME, T0));
        assertEquals(10, wide.startRefill());
        assertTrue(wide.finishRefill(List.of(message(m2)), 10, Function.identity(), T0).isEmpty(), "m1 goes first");

        assertFalse(wide.offerAgain(m1, FRAME, T0), "its row is written: read in turn from the database");
        assertEquals(10, wide.startRefill());
        List<HomeySession.InFlight> sent = wide.finishRefill(List.of(message(m1), message(m2)), 10,
                Function.identity(), T0);
        assertEquals(List.of(m1, m2), sent.stream().map(HomeySession.InFlight::deliveryId).toList());
        assertFalse(wide.hasBacklog(), "every awaited row was written and read");
        assertTrue(wide.offerDeferred(m3, FRAME, T0), "direct sending resumes");
    }

    @Test
    void whileHandOversAreLostEveryRefillReadsTheLogAndTheBacklogNeverDrains() {
        noBacklog(session);
        session.readFromLog(true);
        assertTrue(session.hasBacklog(), "messages committed elsewhere are only in the log now");
        assertFalse(session.offer(id(1), FRAME, T0), "nothing is sent directly: the log gives the order");

        assertEquals(2, session.startRefill());
        session.finishRefill(List.of(message(id(1))), 2, Function.identity(), T0);
        assertTrue(session.hasBacklog(), "caught up, yet the next ack or resend check reads the log again");

        session.readFromLog(false);
        session.ack(id(1));
        noBacklog(session);
        assertFalse(session.hasBacklog(), "Redis is back: the first refill that catches up ends the backlog");
        assertTrue(session.offer(id(2), FRAME, T0));
    }

    @Test
    void messagesAreHandedToTheSocketInTheOrderTheyWereDecidedWhoeverHandsThemOver() {
        HomeySession wide = new HomeySession("homey", null, 10);
        noBacklog(wide);
        String m1 = id(1);
        String m2 = id(2);
        String m3 = id(3);
        assertTrue(wide.offer(m1, FRAME, T0));
        List<String> handed = new ArrayList<>();
        wide.sendDecided(message -> {
            handed.add(message.deliveryId());
            if (message.deliveryId().equals(m1)) {
                // Decided while m1 is being handed over (as on another event loop): it waits its turn behind m1.
                assertTrue(wide.offer(m2, FRAME, T0));
                wide.sendDecided(other -> handed.add("overtaken by " + other.deliveryId()));
            }
        });
        assertEquals(List.of(m1, m2), handed, "the thread handing over takes what was decided meanwhile, in order");

        wide.readFromLog(true);
        assertEquals(8, wide.startRefill());
        wide.finishRefill(List.of(message(m3)), 8, Function.identity(), T0);
        wide.sendDecided(message -> handed.add(message.deliveryId()));
        assertEquals(List.of(m1, m2, m3), handed, "a refill's page goes the same way");
    }

    @Test
    void directSendsMoveTheCursorSoARefillNeverReadsWhatIsInFlightOrJustAcknowledged() {
        HomeySession wide = new HomeySession("homey", null, 3);
        String m1 = id(1);
        String m2 = id(2);
        String m3 = id(3);
        String m4 = id(4);
        assertEquals(3, wide.startRefill());
        wide.finishRefill(List.of(message(m1)), 3, Function.identity(), T0);
        assertFalse(wide.hasBacklog());
        assertTrue(wide.offer(m2, FRAME, T0), "no backlog, room in the window: sent directly");
        assertTrue(wide.offer(m3, FRAME, T0));
        assertFalse(wide.offer(m4, FRAME, T0), "window full: m4 waits in the database");
        wide.ack(m3);

        // The database still lists m2 (in flight) and m3 (its ack not written yet) before m4: read after them.
        assertEquals(1, wide.startRefill());
        assertEquals(m3, wide.refilledUpTo());
        assertEquals(List.of(m4), wide.finishRefill(List.of(message(m4)), 1, Function.identity(), T0).stream()
                .map(HomeySession.InFlight::deliveryId).toList());
    }

    @Test
    void aMessageOfferedAgainAfterARefillLoadedItIsNotSentTwice() {
        String m1 = id(1);
        assertEquals(2, session.startRefill());
        session.finishRefill(List.of(message(m1)), 2, Function.identity(), T0);
        assertFalse(session.offer(m1, FRAME, T0), "its row was written and read before the offer came again");
        assertEquals(1, session.inFlightCount());
    }

    @Test
    void aMessageStillInTheSocketBufferIsNotSentAgainOnAckTimeout() {
        String stuck = id(1);
        String read = id(2);
        assertEquals(2, session.startRefill());
        session.finishRefill(List.of(message(stuck), message(read)), 2, Function.identity(), T0);
        session.writing(stuck);
        session.writing(read);
        session.writeDone(read); // left the buffer; the Homey just did not acknowledge it

        List<HomeySession.InFlight> due = session.overdue(T0.plusSeconds(31), Duration.ofSeconds(30));
        assertEquals(List.of(read), due.stream().map(HomeySession.InFlight::deliveryId).toList(),
                "a Homey that stopped reading gets no second copy queued behind the first");
    }

    @Test
    void framesInFlightStayWithinTheHomeysByteCapButOneAlwaysGoes() {
        HomeySession capped = new HomeySession("homey", null, 10, 10, InFlightBytes.unbounded());
        noBacklog(capped);
        String m1 = id(1);
        String m2 = id(2);
        String m3 = id(3);
        String m4 = id(4);
        assertTrue(capped.offer(m1, bytes("x".repeat(16)), T0), "one message goes, however large");
        assertFalse(capped.offer(m2, bytes("123456"), T0), "no room left for bytes: it waits in the database");
        assertEquals(0, capped.startRefill(), "nothing to read while the bytes in flight are over the cap");

        capped.ack(m1);
        assertEquals(10, capped.startRefill());
        List<String> frames = new ArrayList<>();
        List<HomeySession.InFlight> sent = capped.finishRefill(List.of(m2, m3, m4), 10, deliveryId -> {
            frames.add(deliveryId);
            return new HomeySession.InFlight(deliveryId, bytes("123456"), T0);
        }, T0);
        assertEquals(List.of(m2), sent.stream().map(HomeySession.InFlight::deliveryId).toList());
        assertEquals(List.of(m2, m3), frames, "frames are built in turn, up to the first that does not fit");
        assertTrue(capped.hasBacklog(), "what did not fit is read again");
    }

    @Test
    void theNodesByteCapIsSharedByItsHomeysAndFreedWhenASocketGoes() {
        InFlightBytes node = new InFlightBytes(10);
        HomeySession a = new HomeySession("a", null, 10, 100, node);
        HomeySession b = new HomeySession("b", null, 10, 100, node);
        noBacklog(a);
        noBacklog(b);
        String m1 = id(1);
        String m2 = id(2);
        assertTrue(a.offer(m1, bytes("123456"), T0));
        assertTrue(b.offer(m2, bytes("123456"), T0), "every Homey may have one message in flight");
        assertFalse(a.offer(id(3), bytes("123456"), T0), "the node is full");
        assertFalse(b.offer(id(4), bytes("123456"), T0));
        assertEquals(0, b.startRefill());

        a.retire();
        assertEquals(6, node.used(), "a socket that went away holds nothing");
        assertEquals(9, b.startRefill());
    }

    private static void noBacklog(HomeySession session) {
        session.finishRefill(List.<HomeySession.InFlight> of(), session.startRefill(), Function.identity(), T0);
    }

    private static HomeySession.InFlight message(String deliveryId) {
        return new HomeySession.InFlight(deliveryId, FRAME, DeliveryIds.timeOf(deliveryId));
    }

    private static String id(int millisAfterT0) {
        return DeliveryIds.next(T0.plusMillis(millisAfterT0));
    }

    private static byte[] bytes(String frame) {
        return frame.getBytes(StandardCharsets.UTF_8);
    }
}
