package dev.switchboard.delivery.pending;

import static dev.switchboard.delivery.TestDeliveries.await;
import static dev.switchboard.delivery.TestDeliveries.randomId;
import static dev.switchboard.delivery.TestDeliveries.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.outcomes.DeliveryOutcomes;
import dev.switchboard.delivery.recording.DeliveryRecorder;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PendingMessagesTest {

    @Inject
    DeliveryRecorder recorder;

    @Inject
    DeliveryOutcomes outcomes;

    @Inject
    PendingMessages pending;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void aReturningHomeyGetsItsUnacknowledgedMessagesOldestFirst() throws Exception {
        String homey = randomId();
        String webhookId = randomId();
        // Recorded out of order: the answer is ordered by receive time, not by commit order.
        DeliveryRecord second = record(webhookId, now.minus(2, ChronoUnit.HOURS), homey, randomId());
        DeliveryRecord first = record(webhookId, now.minus(3, ChronoUnit.HOURS), homey);
        DeliveryRecord acked = record(webhookId, now.minus(90, ChronoUnit.MINUTES), homey);
        DeliveryRecord sentNotAcked = record(webhookId, now.minus(1, ChronoUnit.HOURS), homey);
        DeliveryRecord someoneElses = record(webhookId, now.minus(30, ChronoUnit.MINUTES), randomId());
        for (DeliveryRecord r : List.of(second, first, acked, sentNotAcked, someoneElses)) {
            await(recorder.record(r));
        }
        outcomes.sent(acked.id(), homey, now);
        outcomes.acked(acked.id(), homey, now);
        outcomes.sent(sentNotAcked.id(), homey, now);
        outcomes.flush();

        List<PendingMessage> messages = pending.oldestAfter(homey, null, 100);

        assertEquals(List.of(first.id(), second.id(), sentNotAcked.id()), ids(messages));
        assertEquals(3, pending.countFor(homey));
        PendingMessage m = messages.get(0);
        assertEquals(webhookId, m.webhookId());
        assertEquals(DeliveryIds.timeOf(first.id()), m.receivedAt());
        assertEquals("POST", m.method());
        assertEquals(first.headers(), m.headers());
        assertEquals("a=1", m.rawQuery());
        assertEquals("application/json", m.contentType());
        assertArrayEquals(first.body(), m.body());
    }

    @Test
    void aBacklogIsReadPageByPage() throws Exception {
        String homey = randomId();
        String webhookId = randomId();
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            DeliveryRecord r = record(webhookId, now.minus(i, ChronoUnit.MINUTES), homey);
            await(recorder.record(r));
            expected.add(r.id());
        }

        List<PendingMessage> page1 = pending.oldestAfter(homey, null, 2);
        List<PendingMessage> page2 = pending.oldestAfter(homey, page1.get(1).deliveryId(), 2);
        List<PendingMessage> page3 = pending.oldestAfter(homey, page2.get(1).deliveryId(), 2);

        assertEquals(expected.subList(0, 2), ids(page1));
        assertEquals(expected.subList(2, 4), ids(page2));
        assertEquals(expected.subList(4, 5), ids(page3));
    }

    @Test
    void messagesOlderThanTheTtlAreNotSentEvenBeforeExpiryRuns() throws Exception {
        String homey = randomId();
        DeliveryRecord stale = record(randomId(), now.minus(25, ChronoUnit.HOURS), homey);
        DeliveryRecord fresh = record(randomId(), now.minus(23, ChronoUnit.HOURS), homey);
        await(recorder.record(stale));
        await(recorder.record(fresh));

        assertEquals(List.of(fresh.id()), ids(pending.oldestAfter(homey, null, 10)));
        assertEquals(1, pending.countFor(homey));
    }

    @Test
    void aHomeyWithNothingWaitingGetsNothing() {
        String homey = randomId();
        assertTrue(pending.oldestAfter(homey, null, 10).isEmpty());
        assertEquals(0, pending.countFor(homey));
    }

    @Test
    void aMessageSentLaterHasItsHeadersExactlyAsReceivedInTheirOrder() throws Exception {
        String homey = randomId();
        DeliveryRecord received = record(randomId(), now, homey);
        ObjectNode headers = JsonNodeFactory.instance.objectNode()
                .put("x-zebra", "last in the alphabet, first on the wire")
                .put("content-type", "application/json")
                .put("x-nul", "a\u0000b");
        DeliveryRecord r = new DeliveryRecord(received.id(), received.webhookId(), received.receivedAt(), "POST",
                headers, null, "application/json", received.body(), received.routedBy(), null, received.homeyIds(),
                null);
        await(recorder.record(r));

        ObjectNode stored = pending.oldestAfter(homey, null, 1).get(0).headers();

        assertEquals(List.of("x-zebra", "content-type", "x-nul"), fieldNames(stored));
        assertEquals("a\u0000b", stored.get("x-nul").textValue(), "a NUL a sender put in a header is kept");
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(List<PendingMessage> messages) {
        return messages.stream().map(PendingMessage::deliveryId).toList();
    }
}
