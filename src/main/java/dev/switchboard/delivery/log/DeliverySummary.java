package dev.switchboard.delivery.log;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.routing.RoutedBy;

/**
 * One line of a webhook's delivery log.
 *
 * @param size         body bytes
 * @param matched      Homeys the request was routed to
 * @param targetStates how many targets are in each state ({@link DeliveryFilter#STATES} order, absent states
 *                     left out), counted over at most the first {@link DeliveryLogConfig#targetsCountedPerDelivery()}
 * @param replayOf     the delivery this one replays, or null
 */
public record DeliverySummary(String id, String webhookId, Instant receivedAt, String method, String contentType,
        long size, RoutedBy routedBy, int matched, Map<String, Integer> targetStates, String replayOf) {

    /** A delivery just committed: every target waits. */
    public static DeliverySummary of(DeliveryRecord record) {
        int matched = new LinkedHashSet<>(record.homeyIds()).size();
        Map<String, Integer> states = matched == 0 ? Map.of() : Map.of("pending", matched);
        return new DeliverySummary(record.id(), record.webhookId(), record.receivedAt(), record.method(),
                record.contentType(), record.body() == null ? 0 : record.body().length, record.routedBy(), matched,
                states, record.replayOf());
    }

    /**
     * The one word for this delivery: {@code no_match} when it reached nobody, else the state of the target that
     * most needs attention (an error before a pending one, a pending one before acknowledged ones).
     */
    public String outcome() {
        if (matched == 0) {
            return DeliveryFilter.NO_MATCH;
        }
        for (String state : DeliveryFilter.STATES) {
            if (targetStates.containsKey(state)) {
                return state;
            }
        }
        return "pending";
    }

    /** Targets acknowledged so far. */
    public int acked() {
        return targetStates.getOrDefault("acked", 0);
    }

    static Map<String, Integer> ordered(Map<String, Integer> counts) {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        for (String state : DeliveryFilter.STATES) {
            Integer n = counts.get(state);
            if (n != null && n > 0) {
                ordered.put(state, n);
            }
        }
        return ordered;
    }
}
