package dev.switchboard.delivery.outcomes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.outcomes.TargetChange.Event;

/**
 * What the outcome writer has not written yet, merged per target as events arrive: sent/acked changes of targets
 * that have a row, and deferred targets ({@link DeliveryOutcomes#defer}) that get their row, with their outcome,
 * when it is due. A send and its ack, or a burst of resends, cost one row write however long the writer takes, and
 * memory grows with the targets, not with the events: a writer that falls behind under load catches up instead of
 * dropping updates.
 */
final class UnwrittenOutcomes {

    private record Target(String deliveryId, String homeyId) {
    }

    /** A target without a row yet. Guarded by the enclosing instance. */
    static final class Deferred {

        /** Primary key order, as {@link TargetChange#KEY_ORDER}. */
        static final Comparator<Deferred> KEY_ORDER = (a, b) -> TargetChange.compareKeys(a.receivedAt, a.deliveryId,
                a.homeyId, b.receivedAt, b.deliveryId, b.homeyId);

        final Instant receivedAt;
        final String deliveryId;
        final String homeyId;
        final String webhookId;
        /** When it was deferred (System.nanoTime()): after the grace period its row is written, acked or not. */
        private final long since;
        /** Its delivery is committed, so its row may be written (never before: the row would have no delivery). */
        private boolean committed;
        /** Its Homey could not take it when it was pushed: it must wait in the database, so write it at once. */
        private boolean declined;
        /** Its sends and ack so far, or null. */
        TargetChange change;

        private Deferred(String deliveryId, String homeyId, String webhookId, long since) {
            this.receivedAt = DeliveryIds.timeOf(deliveryId);
            this.deliveryId = deliveryId;
            this.homeyId = homeyId;
            this.webhookId = webhookId;
            this.since = since;
        }

        private boolean due(long now, long graceNanos) {
            return committed && (declined || (change != null && change.acked() != null) || now - since >= graceNanos);
        }
    }

    /** Rows to update and rows to write, each sorted by primary key (concurrent writers lock rows in one order). */
    record Due(List<TargetChange> updates, List<Deferred> inserts) {
        boolean isEmpty() {
            return updates.isEmpty() && inserts.isEmpty();
        }
    }

    private final int capacity;
    private Map<Target, TargetChange> changes = new HashMap<>();
    private final Map<Target, Deferred> deferred = new HashMap<>();

    /** @param capacity most targets held (changes and deferred); beyond it events and deferrals are refused */
    UnwrittenOutcomes(int capacity) {
        this.capacity = capacity;
    }

    /** Merges {@code event} into its target; false if it names a new target and the capacity is reached. */
    synchronized boolean add(Event event) {
        Target target = new Target(event.deliveryId(), event.homeyId());
        Deferred waiting = deferred.get(target);
        if (waiting != null) {
            waiting.change = merged(waiting.change, TargetChange.of(event));
            return true;
        }
        TargetChange change = changes.get(target);
        if (change == null && size() >= capacity) {
            return false;
        }
        changes.put(target, merged(change, TargetChange.of(event)));
        return true;
    }

    /** Defers the targets of {@code homeyIds} while there is room; answers those it took, in order. */
    synchronized List<String> defer(String deliveryId, String webhookId, List<String> homeyIds, long now) {
        List<String> taken = new ArrayList<>(homeyIds.size());
        for (String homeyId : homeyIds) {
            Target target = new Target(deliveryId, homeyId);
            if (size() >= capacity || deferred.containsKey(target)) {
                continue;
            }
            deferred.put(target, new Deferred(deliveryId, homeyId, webhookId, now));
            taken.add(homeyId);
        }
        return taken;
    }

    /** The delivery of these deferred targets is committed: their rows may now be written. */
    synchronized void committed(String deliveryId, List<String> homeyIds) {
        for (String homeyId : homeyIds) {
            Deferred waiting = deferred.get(new Target(deliveryId, homeyId));
            if (waiting != null) {
                waiting.committed = true;
            }
        }
    }

    /** The delivery of these deferred targets was not recorded: forget them. */
    synchronized void abandoned(String deliveryId, List<String> homeyIds) {
        for (String homeyId : homeyIds) {
            deferred.remove(new Target(deliveryId, homeyId));
        }
    }

    /** The Homey could not take the message: if its target is deferred, its row is due now. */
    synchronized void declined(String deliveryId, String homeyId) {
        Deferred waiting = deferred.get(new Target(deliveryId, homeyId));
        if (waiting != null) {
            waiting.declined = true;
        }
    }

    /**
     * Takes every change, and the deferred targets that are due ({@code all}: every committed one); leaves the rest.
     *
     * @param now System.nanoTime()
     */
    Due takeDue(long now, long graceNanos, boolean all) {
        Map<Target, TargetChange> taken;
        List<Deferred> inserts = new ArrayList<>();
        synchronized (this) {
            taken = changes.isEmpty() ? Map.of() : changes;
            if (!changes.isEmpty()) {
                changes = new HashMap<>();
            }
            for (Iterator<Deferred> it = deferred.values().iterator(); it.hasNext();) {
                Deferred waiting = it.next();
                if (all ? waiting.committed : waiting.due(now, graceNanos)) {
                    it.remove();
                    inserts.add(waiting);
                }
            }
        }
        List<TargetChange> updates = new ArrayList<>(taken.values());
        updates.sort(TargetChange.KEY_ORDER);
        inserts.sort(Deferred.KEY_ORDER);
        return new Due(updates, inserts);
    }

    /**
     * Deferred targets whose row could not be written: held again, with any change that arrived for them meanwhile
     * (it was taken for a row update, which found no row). They are written on a later run.
     */
    synchronized void putBack(List<Deferred> inserts) {
        for (Deferred waiting : inserts) {
            Target target = new Target(waiting.deliveryId, waiting.homeyId);
            TargetChange later = changes.remove(target);
            if (later != null) {
                waiting.change = merged(waiting.change, later);
            }
            deferred.put(target, waiting);
        }
    }

    /** Receive time of the oldest deferred target (committed or not), or null if none. */
    synchronized Instant oldestDeferred() {
        Instant oldest = null;
        for (Deferred waiting : deferred.values()) {
            if (oldest == null || waiting.receivedAt.isBefore(oldest)) {
                oldest = waiting.receivedAt;
            }
        }
        return oldest;
    }

    private static TargetChange merged(TargetChange earlier, TargetChange later) {
        return earlier == null ? later : earlier.plus(later);
    }

    synchronized int size() {
        return changes.size() + deferred.size();
    }
}
