package dev.switchboard.delivery.log;

import java.util.ArrayList;
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
 * <p>Node-local: a portal page sees deliveries recorded, and acknowledgements written, by the node serving it.
 */
@ApplicationScoped
public class DeliveryFeed implements OutcomeListener {

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

    private final Map<String, List<Watcher>> byWebhook = new ConcurrentHashMap<>();
    private final AtomicInteger watchers = new AtomicInteger();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
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

    /** A delivery was committed (called by ingest, on its event loop). */
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
        if (changed.size() + deliveryIds.size() > maxPendingChanges) {
            // Which webhooks these belong to is unknown without reading them, so every open page reads again, once
            // however many batches are dropped before the refresh gets to it.
            if (missedChanges.compareAndSet(false, true)) {
                Log.debugf("Live delivery feed is behind; open pages will read their deliveries again");
            }
        } else {
            changed.addAll(deliveryIds);
        }
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
        List<String> ids = new ArrayList<>(changed.size());
        for (String id : changed) {
            if (changed.remove(id)) {
                ids.add(id);
            }
        }
        Set<String> webhooks = Set.copyOf(byWebhook.keySet());
        if (!ids.isEmpty() && !webhooks.isEmpty()) {
            showChanges(ids, webhooks);
        }
        if (missedAny) {
            // After the dropped batches' commits, so a page read on hearing this shows them.
            tellMissed(byWebhook.keySet());
        }
    }

    private void showChanges(List<String> ids, Set<String> webhooks) {
        List<DeliverySummary> summaries;
        try {
            summaries = log.summaries(ids, webhooks);
        } catch (RuntimeException e) {
            Log.warnf("Could not re-read %d changed deliveries for the live log; open pages read theirs again: %s",
                    ids.size(), e.getMessage());
            tellMissed(webhooks);
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
        Missed event = new Missed();
        for (String webhookId : webhooks) {
            List<Watcher> watching = byWebhook.get(webhookId);
            if (watching != null) {
                watching.forEach(watcher -> watcher.sink().accept(event));
            }
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        refresher.shutdownNow();
    }
}
