package dev.switchboard.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.delivery.TargetChange.Event;

/**
 * Sent/acked events not yet written, merged into one change per target as they arrive. A send and its ack, or a
 * burst of resends, cost one row update however long the writer takes, and memory grows with the targets that
 * changed, not with the events: a writer that falls behind under load catches up instead of dropping updates.
 */
final class UnwrittenOutcomes {

    private record Target(String deliveryId, String homeyId) {
    }

    private final int capacity;
    private Map<Target, TargetChange> changes = new HashMap<>();

    /** @param capacity most targets with unwritten changes; events for further targets are refused */
    UnwrittenOutcomes(int capacity) {
        this.capacity = capacity;
    }

    /** Merges {@code event} into its target's change; false if it names a new target and the capacity is reached. */
    synchronized boolean add(Event event) {
        Target target = new Target(event.deliveryId(), event.homeyId());
        TargetChange change = changes.get(target);
        if (change == null && changes.size() >= capacity) {
            return false;
        }
        changes.put(target, change == null ? TargetChange.of(event) : change.plus(TargetChange.of(event)));
        return true;
    }

    /** Takes every change, sorted by primary key (so concurrent writers lock rows in one order); leaves none. */
    List<TargetChange> takeAll() {
        Map<Target, TargetChange> taken;
        synchronized (this) {
            if (changes.isEmpty()) {
                return List.of();
            }
            taken = changes;
            changes = new HashMap<>();
        }
        List<TargetChange> sorted = new ArrayList<>(taken.values());
        sorted.sort(TargetChange.KEY_ORDER);
        return sorted;
    }

    synchronized int size() {
        return changes.size();
    }
}
