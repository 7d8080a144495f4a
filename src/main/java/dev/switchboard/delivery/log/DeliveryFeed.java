package dev.switchboard.delivery.log;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.OutcomeListener;
import dev.switchboard.delivery.RecordingListener;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The live delivery log of this node: who watches which webhook, told of each delivery once it is committed and
 * of each committed change of its targets' states (sent, acknowledged).
 *
 * <p>Cheap when nobody watches: publishing a delivery is one map lookup, and the outcome writer skips this
 * listener entirely. When someone does, new deliveries are summarized from memory (no query), and state changes
 * are re-read once per committed outcome batch, on this feed's own thread, by primary key.
 *
 * <p>A change it cannot show (too many waiting, or the re-read failed) is not silently lost: the watchers it may
 * concern hear {@link Missed} and read their page again.
 *
 * <p>In cluster mode the other nodes tell it of their deliveries ({@link #recordedElsewhere}) and outcome changes
 * ({@link #committed}), so a page sees the webhook's whole traffic whichever node serves it.
 */
@ApplicationScoped
public class DeliveryFeed implements OutcomeListener, RecordingListener {

    /** What a watcher hears. */
    public sealed interface Event permits Recorded, Changed, Missed {
    }

    /** A new delivery, which the watcher's filter admits. */
    public record Recorded(DeliverySummary summary) implements Event {
    }

    /** A delivery whose targets changed state. */
    public record Changed(DeliverySummary summary) implements Event {
    }

    /** Changes of this webhook's deliveries were not shown; read the page again. */
    public record Missed() implements Event {
    }

    /** Stops the events; closing twice is harmless. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private record Watcher(DeliveryFilter filter, Consumer<Event> sink) {
    }

    private static final Missed MISSED = new Missed();

    private final Map<String, List<Watcher>> byWebhook = new ConcurrentHashMap<>();
    private final AtomicInteger watchers = new AtomicInteger();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    /** Deliveries other nodes recorded, to be read back and shown as new. */
    private final Set<String> recordedElsewhere = ConcurrentHashMap.newKeySet();
    /** Changes were dropped, so the next refresh ends by telling every watcher {@link Missed}. */
    private final AtomicBoolean missedChanges = new AtomicBoolean();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final ExecutorService refresher;
    private final DeliveryLog log;
    private final int maxPendingChanges;

    @Inject
    public DeliveryFeed(DeliveryLog log, DeliveryLogConfig config) {
        this(log, config.liveMaxPendingChanges());
    }

    /** @param maxPendingChanges beyond this many changed deliveries waiting to be re-read, changes are dropped */
    DeliveryFeed(DeliveryLog log, int maxPendingChanges) {
        this.log = log;
        this.maxPendingChanges = maxPendingChanges;
        this.refresher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "switchboard-delivery-feed");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Sends {@code sink} the webhook's new deliveries that {@code filter} admits, and state changes of any of its
     * deliveries. {@code sink} is called on the publishing thread (often an event loop): it must only hand off.
     */
    public Subscription subscribe(String webhookId, DeliveryFilter filter, Consumer<Event> sink) {
        Watcher watcher = new Watcher(filter, sink);
        byWebhook.computeIfAbsent(webhookId, id -> new CopyOnWriteArrayList<>()).add(watcher);
        watchers.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                byWebhook.computeIfPresent(webhookId, (id, list) -> {
                    list.remove(watcher);
                    return list.isEmpty() ? null : list;
                });
                watchers.decrementAndGet();
            }
        };
    }

    /** A delivery was committed here (called by the dispatcher, on the event loop that recorded it). */
    @Override
    public void recorded(DeliveryRecord record) {
        List<Watcher> watching = byWebhook.get(record.webhookId());
        if (watching == null) {
            return;
        }
        Recorded event = null;
        for (Watcher watcher : watching) {
            if (watcher.filter().admits(record)) {
                if (event == null) {
                    event = new Recorded(DeliverySummary.of(record));
                }
                watcher.sink().accept(event);
            }
        }
    }

    public int watcherCount() {
        return watchers.get();
    }

    @Override
    public boolean isListening() {
        return watchers.get() > 0;
    }

    @Override
    public void committed(List<String> deliveryIds) {
        if (!admitToReRead(deliveryIds.size())) {
            // Which webhooks these belong to is unknown without reading them, so every open page reads again, once
            // however many batches are dropped before the refresh gets to it.
            markMissed();
        } else {
            changed.addAll(deliveryIds);
        }
        queueRefresh();
    }

    /**
     * Deliveries another node recorded (cluster mode), by webhook; an empty list stands for more than were listed.
     * Watchers here hear each as {@link Recorded}, read back on this feed's thread, or hear {@link Missed} when the
     * IDs were not listed or their filter needs more than a summary (a Homey, a text), so their page reads again.
     */
    public void recordedElsewhere(Map<String, List<String>> idsByWebhook) {
        boolean queued = false;
        for (Map.Entry<String, List<String>> entry : idsByWebhook.entrySet()) {
            List<Watcher> watching = byWebhook.get(entry.getKey());
            if (watching == null) {
                continue;
            }
            List<String> ids = entry.getValue();
            boolean readBack = false;
            for (Watcher watcher : watching) {
                if (ids.isEmpty() || !watcher.filter().decidesOnSummaries()) {
                    watcher.sink().accept(MISSED);
                } else {
                    readBack = true;
                }
            }
            if (readBack && admitToReRead(ids.size())) {
                recordedElsewhere.addAll(ids);
                queued = true;
            } else if (readBack) {
                markMissed();
                queued = true;
            }
        }
        if (queued) {
            queueRefresh();
        }
    }

    private boolean admitToReRead(int more) {
        return changed.size() + recordedElsewhere.size() + more <= maxPendingChanges;
    }

    private void markMissed() {
        if (missedChanges.compareAndSet(false, true)) {
            Log.debugf("Live delivery feed is behind; open pages will read their deliveries again");
        }
    }

    private void queueRefresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            try {
                refresher.execute(this::refresh);
            } catch (RejectedExecutionException shuttingDown) {
                refreshQueued.set(false);
            }
        }
    }

    private void refresh() {
        refreshQueued.set(false);
        // Taken before the changes below: a batch dropped from now on sets it again and queues the next refresh.
        boolean missedAny = missedChanges.getAndSet(false);
        List<String> recorded = drain(recordedElsewhere);
        List<String> ids = drain(changed);
        Set<String> webhooks = Set.copyOf(byWebhook.keySet());
        if (!webhooks.isEmpty()) {
            // New rows before changes: a page applies a change only to a row it shows.
            if (!recorded.isEmpty()) {
                showRecordedElsewhere(recorded, webhooks);
            }
            if (!ids.isEmpty()) {
                showChanges(ids, webhooks);
            }
        }
        if (missedAny) {
            // After the dropped batches' commits, so a page read on hearing this shows them.
            tellMissed(byWebhook.keySet());
        }
    }

    private static List<String> drain(Set<String> ids) {
        List<String> taken = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (ids.remove(id)) {
                taken.add(id);
            }
        }
        return taken;
    }

    private void showRecordedElsewhere(List<String> ids, Set<String> webhooks) {
        List<DeliverySummary> summaries = reRead(ids, webhooks);
        if (summaries == null) {
            return;
        }
        // Oldest first: each new row goes to the top of a page.
        summaries.sort(Comparator.comparing(DeliverySummary::id));
        for (DeliverySummary summary : summaries) {
            List<Watcher> watching = byWebhook.get(summary.webhookId());
            if (watching == null) {
                continue;
            }
            Recorded event = new Recorded(summary);
            for (Watcher watcher : watching) {
                if (watcher.filter().decidesOnSummaries() && watcher.filter().admits(summary)) {
                    watcher.sink().accept(event);
                }
            }
        }
    }

    /** The summaries of {@code ids} in {@code webhooks}, or null when they could not be read (watchers then read again). */
    private List<DeliverySummary> reRead(List<String> ids, Set<String> webhooks) {
        try {
            return new ArrayList<>(log.summaries(ids, webhooks));
        } catch (RuntimeException e) {
            Log.warnf("Could not re-read %d deliveries for the live log; open pages read theirs again: %s",
                    ids.size(), e.getMessage());
            tellMissed(webhooks);
            return null;
        }
    }

    private void showChanges(List<String> ids, Set<String> webhooks) {
        List<DeliverySummary> summaries = reRead(ids, webhooks);
        if (summaries == null) {
            return;
        }
        for (DeliverySummary summary : summaries) {
            List<Watcher> watching = byWebhook.get(summary.webhookId());
            if (watching != null) {
                Changed event = new Changed(summary);
                watching.forEach(watcher -> watcher.sink().accept(event));
            }
        }
    }

    private void tellMissed(Set<String> webhooks) {
        for (String webhookId : webhooks) {
            List<Watcher> watching = byWebhook.get(webhookId);
            if (watching != null) {
                watching.forEach(watcher -> watcher.sink().accept(MISSED));
            }
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        refresher.shutdownNow();
    }
}
