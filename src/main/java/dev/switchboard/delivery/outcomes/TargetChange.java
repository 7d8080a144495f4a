package dev.switchboard.delivery.outcomes;

import java.time.Instant;
import java.util.Comparator;

import dev.switchboard.delivery.DeliveryIds;

/**
 * What sent/acked events do to one delivery target, merged so that each target is updated once per write (a send
 * and its ack usually arrive milliseconds apart).
 *
 * @param sends     how many times it was sent since the last write
 * @param firstSent earliest of those sends, or null
 * @param lastSent  latest of those sends, or null
 * @param acked     earliest ack since the last write, or null
 */
record TargetChange(Instant receivedAt, String deliveryId, String homeyId, int sends, Instant firstSent,
        Instant lastSent, Instant acked) {

    enum Kind { SENT, ACKED }

    record Event(Kind kind, String deliveryId, String homeyId, Instant at) {
    }

    /** Primary key order: concurrent writers that lock rows in this order cannot deadlock. */
    static final Comparator<TargetChange> KEY_ORDER = (a, b) -> compareKeys(a.receivedAt, a.deliveryId, a.homeyId,
            b.receivedAt, b.deliveryId, b.homeyId);

    /** Compares two {@code delivery_target} primary keys; written out: composed comparators showed in profiles. */
    static int compareKeys(Instant aReceivedAt, String aDeliveryId, String aHomeyId, Instant bReceivedAt,
            String bDeliveryId, String bHomeyId) {
        int byTime = aReceivedAt.compareTo(bReceivedAt);
        if (byTime != 0) {
            return byTime;
        }
        int byDelivery = aDeliveryId.compareTo(bDeliveryId);
        return byDelivery != 0 ? byDelivery : aHomeyId.compareTo(bHomeyId);
    }

    static TargetChange of(Event e) {
        Instant receivedAt = DeliveryIds.timeOf(e.deliveryId());
        return e.kind() == Kind.SENT
                ? new TargetChange(receivedAt, e.deliveryId(), e.homeyId(), 1, e.at(), e.at(), null)
                : new TargetChange(receivedAt, e.deliveryId(), e.homeyId(), 0, null, null, e.at());
    }

    /** Both changes of one target, as if they had happened in one batch. */
    TargetChange plus(TargetChange other) {
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
