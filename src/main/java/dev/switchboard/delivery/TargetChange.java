package dev.switchboard.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch of sent/acked events does to one delivery target, merged so that each target is updated once per
 * batch (a send and its ack usually arrive milliseconds apart).
 *
 * @param sends     how many times it was sent in this batch
 * @param firstSent earliest send in this batch, or null
 * @param lastSent  latest send in this batch, or null
 * @param acked     earliest ack in this batch, or null
 */
record TargetChange(Instant receivedAt, String deliveryId, String homeyId, int sends, Instant firstSent,
        Instant lastSent, Instant acked) {

    enum Kind { SENT, ACKED }

    record Event(Kind kind, String deliveryId, String homeyId, Instant at) {
    }

    /** Sorted by primary key: concurrent writers lock rows in the same order, so they cannot deadlock. */
    private static final Comparator<TargetChange> KEY_ORDER = Comparator.comparing(TargetChange::receivedAt)
            .thenComparing(TargetChange::deliveryId)
            .thenComparing(TargetChange::homeyId);

    static List<TargetChange> merge(List<Event> events) {
        Map<String, TargetChange> byTarget = new LinkedHashMap<>();
        for (Event e : events) {
            byTarget.merge(e.deliveryId() + '/' + e.homeyId(), of(e), TargetChange::plus);
        }
        List<TargetChange> changes = new ArrayList<>(byTarget.values());
        changes.sort(KEY_ORDER);
        return changes;
    }

    private static TargetChange of(Event e) {
        Instant receivedAt = DeliveryIds.timeOf(e.deliveryId());
        return e.kind() == Kind.SENT
                ? new TargetChange(receivedAt, e.deliveryId(), e.homeyId(), 1, e.at(), e.at(), null)
                : new TargetChange(receivedAt, e.deliveryId(), e.homeyId(), 0, null, null, e.at());
    }

    private TargetChange plus(TargetChange other) {
        return new TargetChange(receivedAt, deliveryId, homeyId, sends + other.sends,
                earlier(firstSent, other.firstSent), later(lastSent, other.lastSent), earlier(acked, other.acked));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
