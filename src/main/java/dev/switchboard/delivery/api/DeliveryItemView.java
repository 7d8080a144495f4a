package dev.switchboard.delivery.api;

import java.time.Instant;
import java.util.Map;

import dev.switchboard.delivery.log.DeliverySummary;

/**
 * One delivery in a page of the log.
 *
 * @param size     body bytes
 * @param outcome  {@code no_match}, or the state of the target that most needs attention
 * @param targets  how many targets are in each state
 * @param replayOf the delivery this one replays, or null
 */
public record DeliveryItemView(String id, Instant receivedAt, String method, String contentType, long size,
        String routedBy, int matched, String outcome, Map<String, Integer> targets, String replayOf) {

    public static DeliveryItemView of(DeliverySummary s) {
        return new DeliveryItemView(s.id(), s.receivedAt(), s.method(), s.contentType(), s.size(),
                s.routedBy().code(), s.matched(), s.outcome(), s.targetStates(), s.replayOf());
    }
}
