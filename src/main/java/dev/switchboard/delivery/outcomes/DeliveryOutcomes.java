package dev.switchboard.delivery.outcomes;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import dev.switchboard.delivery.DeliveryConfig;
import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.OutcomeListener;
import dev.switchboard.delivery.outcomes.TargetChange.Event;
import dev.switchboard.delivery.outcomes.TargetChange.Kind;
import dev.switchboard.delivery.store.SqlFailure;
import dev.switchboard.delivery.store.WriterConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Records what happened to each target (sent to its Homey, acknowledged by it), fire-and-forget: events are merged
 * per target ({@link UnwrittenOutcomes}) and a background thread writes them every {@code outcome-max-delay}, one
 * statement ({@link TargetRows}) per up to {@code max-batch} targets. Losing an update (too many targets waiting, crash) is acceptable:
 * an unacknowledged message is sent again on the next connection, and the Homey drops duplicates by ID. Committed
 * changes are told to the {@link OutcomeListener}s (the live delivery log).
 *
 * <p>Targets of online Homeys are {@linkplain #defer deferred}: the recorder lists them on the delivery instead of
 * writing a pending row, and their row is written here once, with its outcome, when the Homey acknowledged (or
 * could not take the message, or {@code deferred-target-grace} passed). Deferred targets are never dropped: a failed
 * write is retried, and after a crash {@link #recoverDeferredTargets} writes the rows still missing, reading the
 * deliveries received since the oldest checkpoint any writer keeps; in a cluster each node's writer keeps its own, and
 * the writers that keep running recover those of a node that died ({@link #keepAliveAndRecoverStale}).
 */
@Startup
@ApplicationScoped
public class DeliveryOutcomes {

    static final String WRITER_NAME = "switchboard-delivery-outcomes";
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final Duration FLUSH_LIMIT = Duration.ofSeconds(30);

    /**
     * How far the checkpoint stays behind the oldest deferred target it knows of: a request is deferred only after
     * routing, which may run a legacy function first, so one received earlier may still be deferred after it.
     */
    private static final Duration CHECKPOINT_LAG = Duration.ofMinutes(1);
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often this writer tells the others it runs, and looks for writers that stopped (cluster mode). */
    private static final long ALIVE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** A writer silent this long is taken for dead: another recovers its deferred targets. */
    static final Duration WRITER_STALE_AFTER = Duration.ofSeconds(30);

    private final WriterConnection connection;
    private final UnwrittenOutcomes unwritten;
    private final int maxRowsPerStatement;
    private final long gatherNanos;
    private final long graceNanos;
    private final Queue<CompletableFuture<Void>> flushWaiters = new ConcurrentLinkedQueue<>();
    /** Run after the next write, once a declined deferred target has its row (see {@link #declined}). */
    private final Queue<Runnable> afterNextWrite = new ConcurrentLinkedQueue<>();
    private long checkpointWrittenAt = System.nanoTime() - CHECKPOINT_EVERY_NANOS;
    private long aliveWrittenAt = System.nanoTime();
    /**
     * Names this writer's checkpoint: random at each start. In a cluster every node's writer keeps its own, so none moves
     * past another's unwritten rows; the checkpoints of a writer that is gone are recovered by the others.
     */
    private final String writerId = String.format("%016x", ThreadLocalRandom.current().nextLong());
    /** Rows of deferred targets were written since the checkpoint last moved. Writer thread only. */
    private boolean checkpointDue;
    private final Thread writer;
    private volatile boolean stopping;
    private final AtomicBoolean saturated = new AtomicBoolean();
    private final Counter written;
    private final Counter lost;
    private final List<OutcomeListener> listeners;

    DeliveryOutcomes(DeliveryConfig config, DataSource dataSource, MeterRegistry registry,
            Instance<OutcomeListener> listeners) {
        this.listeners = listeners.stream().toList();
        this.connection = new WriterConnection(dataSource, WRITER_NAME, config.writeTimeout(), false);
        this.unwritten = new UnwrittenOutcomes(config.outcomeQueueCapacity());
        this.maxRowsPerStatement = config.maxBatch();
        this.gatherNanos = config.outcomeMaxDelay().toNanos();
        this.graceNanos = config.deferredTargetGrace().toNanos();
        this.written = Counter.builder("switchboard.delivery.outcomes.written")
                .description("Target rows written with their outcome, or updated with sent/acked changes").register(registry);
        this.lost = Counter.builder("switchboard.delivery.outcomes.lost")
                .description("Sent/acked updates dropped (too many targets waiting, or write failed);"
                        + " resends cover them").register(registry);
        Gauge.builder("switchboard.delivery.outcomes.unwritten", unwritten, UnwrittenOutcomes::size)
                .description("Targets whose sent/acked changes wait to be written").register(registry);
        this.writer = new Thread(this::run, WRITER_NAME);
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** The message was written to the Homey's socket at {@code at}: state delivered, one more attempt. */
    public void sent(String deliveryId, String homeyId, Instant at) {
        offer(new Event(Kind.SENT, deliveryId, homeyId, at));
    }

    /** The Homey acknowledged the message at {@code at}: state acked. */
    public void acked(String deliveryId, String homeyId, Instant at) {
        offer(new Event(Kind.ACKED, deliveryId, homeyId, at));
    }

    /**
     * Defers the targets of {@code homeyIds} (Homeys online now, so the message goes out at once): answers those
     * taken, which the recorder must not write; the others (no room) get their pending row with the delivery as usual.
     * Then exactly one of {@link #committed} or {@link #abandoned} must follow for them.
     */
    public List<String> defer(String deliveryId, String webhookId, List<String> homeyIds) {
        if (homeyIds.isEmpty() || stopping) {
            return List.of();
        }
        return unwritten.defer(deliveryId, webhookId, homeyIds, System.nanoTime());
    }

    /** The delivery of these deferred targets is committed. */
    public void committed(String deliveryId, List<String> deferredHomeyIds) {
        if (!deferredHomeyIds.isEmpty()) {
            unwritten.committed(deliveryId, deferredHomeyIds);
        }
    }

    /** The delivery of these deferred targets could not be recorded. */
    public void abandoned(String deliveryId, List<String> deferredHomeyIds) {
        if (!deferredHomeyIds.isEmpty()) {
            unwritten.abandoned(deliveryId, deferredHomeyIds);
        }
    }

    /**
     * The Homey could not take the message of this target now (offline, or older messages wait): a deferred target
     * gets its pending row at once, and {@code thenOffer} runs once the next write is committed, to offer the message
     * again (the Homey's refill may have read the database before that row existed).
     */
    public void declined(String deliveryId, String homeyId, Runnable thenOffer) {
        unwritten.declined(deliveryId, homeyId);
        afterNextWrite.add(thenOffer);
    }

    /**
     * Waits until every update offered before this call, and every deferred target whose delivery is committed, has
     * been written (or has failed). Reading a Homey's waiting messages right after it shows them all.
     */
    public void flush() {
        if (stopping) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        flushWaiters.add(done);
        LockSupport.unpark(writer);
        try {
            done.get(FLUSH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Outcome updates did not flush", e);
        }
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join(SHUTDOWN_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // What is left: updates are lost (resends cover them); deferred targets' rows are recovered at the next start.
        lost.increment(unwritten.takeDue(System.nanoTime(), 0, true).updates().size());
        connection.close();
    }

    private void offer(Event event) {
        // A Homey can put anything in an ack's id; a malformed one names no row, and cannot name a partition.
        if (!DeliveryIds.isWellFormed(event.deliveryId()) || event.homeyId() == null || event.at() == null) {
            Log.debugf("Ignoring %s of malformed delivery %s for Homey %s", event.kind(), event.deliveryId(),
                    event.homeyId());
            return;
        }
        if (unwritten.add(event)) {
            if (saturated.get()) {
                saturated.set(false);
            }
            return;
        }
        lost.increment();
        if (saturated.compareAndSet(false, true)) {
            Log.warnf("Too many targets with unwritten outcomes; dropping sent/acked updates (delivery %s, Homey %s)"
                    + " until the writer catches up", event.deliveryId(), event.homeyId());
        }
    }

    // ---- writer thread ------------------------------------------------------------------------------------------

    /**
     * Every gather interval (or at once for a flush), writes what is due, in statements of bounded size: first the
     * deferred targets' rows, then the updates of rows that exist.
     */
    private void run() {
        boolean recovered = recoverDeferredTargets();
        while (true) {
            boolean last = stopping;
            if (!last && flushWaiters.isEmpty()) {
                LockSupport.parkNanos(gatherNanos);
            }
            List<CompletableFuture<Void>> flushes = drain(flushWaiters);
            List<Runnable> offers = drain(afterNextWrite);
            try {
                if (!recovered) {
                    recovered = recoverDeferredTargets();
                }
                UnwrittenOutcomes.Due due = unwritten.takeDue(System.nanoTime(), graceNanos, last || !flushes.isEmpty());
                boolean inserted = insertAll(due.inserts());
                List<TargetChange> changes = due.updates();
                for (int from = 0; from < changes.size(); from += maxRowsPerStatement) {
                    write(changes.subList(from, Math.min(changes.size(), from + maxRowsPerStatement)));
                }
                // Never past a crash's unwritten rows: only once they are recovered.
                if (recovered && !due.inserts().isEmpty()) {
                    checkpointDue = true;
                }
                if (checkpointDue && System.nanoTime() - checkpointWrittenAt >= CHECKPOINT_EVERY_NANOS) {
                    writeCheckpoint();
                }
                if (recovered && !last && System.nanoTime() - aliveWrittenAt >= ALIVE_EVERY_NANOS) {
                    keepAliveAndRecoverStale();
                }
                if (last) {
                    return;
                }
                if (inserted) {
                    offers.forEach(DeliveryOutcomes::runQuietly);
                } else {
                    afterNextWrite.addAll(offers);
                }
            } catch (RuntimeException | Error e) {
                // The writes handle their own failures; reaching here is a bug, and the writer must outlive it.
                Log.errorf(e, "Outcome writer failed unexpectedly");
            } finally {
                flushes.forEach(f -> f.complete(null));
            }
        }
    }

    private static <T> List<T> drain(Queue<T> queue) {
        List<T> taken = new ArrayList<>();
        for (T item; (item = queue.poll()) != null;) {
            taken.add(item);
        }
        return taken;
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            Log.warnf(e, "Offering a declined message again failed");
        }
    }

    /**
     * Writes the rows of deferred targets that a crash left unwritten (their deliveries list them; the checkpoint
     * says from which receive time on to look). True once done; on failure the next run tries again.
     */
    private boolean recoverDeferredTargets() {
        try {
            int recovered = TargetRows.recover(connection.get());
            if (recovered > 0) {
                Log.infof("Recovered %d message targets whose outcome was not written before the last stop; their"
                        + " Homeys get them again", recovered);
            }
            checkpointDue = true; // this writer's own checkpoint, from now on
            return true;
        } catch (SQLException | RuntimeException e) {
            connection.discard();
            Log.errorf("Could not recover unwritten message targets (retrying): %s", SqlFailure.describe(e));
            return false;
        }
    }

    /**
     * Refreshes this writer's checkpoint row (written again if another writer took this one for dead and removed it),
     * and recovers the deferred targets of writers that stopped refreshing theirs: a node that died.
     */
    private void keepAliveAndRecoverStale() {
        aliveWrittenAt = System.nanoTime();
        try {
            if (!TargetRows.stillAlive(connection.get(), writerId)) {
                checkpointDue = true;
            }
            int recovered = TargetRows.recoverStale(connection.get(), writerId, WRITER_STALE_AFTER);
            if (recovered > 0) {
                Log.infof("Recovered %d message targets that a node which stopped left unwritten; their Homeys get them"
                        + " again", recovered);
            }
        } catch (SQLException | RuntimeException e) {
            connection.discard();
            Log.warnf("Could not check for stopped writers' unwritten message targets (retrying): %s",
                    SqlFailure.describe(e));
        }
    }

    /** False if some could not be written: they are held for the next run, never dropped. */
    private boolean insertAll(List<UnwrittenOutcomes.Deferred> targets) {
        for (int from = 0; from < targets.size(); from += maxRowsPerStatement) {
            List<UnwrittenOutcomes.Deferred> part = targets.subList(from, Math.min(targets.size(), from + maxRowsPerStatement));
            if (!insert(part)) {
                unwritten.putBack(new ArrayList<>(targets.subList(from, targets.size())));
                return false;
            }
        }
        return true;
    }

    private boolean insert(List<UnwrittenOutcomes.Deferred> targets) {
        Attempt attempt = attempt(c -> TargetRows.insert(c, targets));
        if (attempt.failure() != null) {
            UnwrittenOutcomes.Deferred first = targets.get(0);
            Log.warnf("Could not write %d message targets (first delivery %s, Homey %s), retrying: %s",
                    targets.size(), first.deliveryId, first.homeyId, SqlFailure.describe(attempt.failure()));
            return false;
        }
        written.increment(attempt.rows());
        tellListeners(() -> targets.stream().map(t -> t.deliveryId));
        return true;
    }

    /**
     * Moves the checkpoint up to the oldest deferred target still held, less {@link #CHECKPOINT_LAG}. Written at most
     * once a second, and only after rows were written: an idle node's checkpoint stays where it was.
     */
    private void writeCheckpoint() {
        Instant now = Instant.now();
        Instant oldest = unwritten.oldestDeferred();
        Instant before = (oldest != null && oldest.isBefore(now) ? oldest : now).minus(CHECKPOINT_LAG);
        try {
            TargetRows.moveCheckpoint(connection.get(), writerId, before);
            checkpointWrittenAt = System.nanoTime();
            checkpointDue = false;
        } catch (SQLException | RuntimeException e) {
            connection.discard();
            Log.warnf("Could not move the deferred-target checkpoint (recovery reads further back): %s",
                    SqlFailure.describe(e));
        }
    }

    private void write(List<TargetChange> changes) {
        Attempt attempt = attempt(c -> TargetRows.update(c, changes));
        if (attempt.failure() != null) {
            lost.increment(changes.size());
            TargetChange first = changes.get(0);
            Log.warnf("Could not write %d outcome updates (first delivery %s, Homey %s): %s", changes.size(),
                    first.deliveryId(), first.homeyId(), SqlFailure.describe(attempt.failure()));
            return;
        }
        written.increment(attempt.rows());
        tellListeners(() -> changes.stream().map(TargetChange::deliveryId));
        if (attempt.rows() < changes.size()) {
            Log.debugf("%d of %d outcome updates found no target (not recorded yet, partition dropped, or unknown ID)",
                    changes.size() - attempt.rows(), changes.size());
        }
    }

    /** A statement of the writer, answering how many rows it wrote. */
    @FunctionalInterface
    private interface RowWork {
        int run(Connection c) throws SQLException;
    }

    /** Rows written, or the failure (then rows is 0). */
    private record Attempt(int rows, Exception failure) {
    }

    /** Runs {@code work} on the writer's connection, once more on a fresh one if the connection was lost. */
    private Attempt attempt(RowWork work) {
        for (boolean firstTry = true;; firstTry = false) {
            try {
                return new Attempt(work.run(connection.get()), null);
            } catch (SQLException | RuntimeException e) {
                connection.discard();
                if (SqlFailure.of(e) != SqlFailure.CONNECTION_LOST || !firstTry) {
                    return new Attempt(0, e);
                }
            }
        }
    }

    /** After the commit, so that a listener re-reading the rows sees the change; nothing is built if none listens. */
    private void tellListeners(Supplier<Stream<String>> deliveryIds) {
        List<String> ids = null;
        for (OutcomeListener listener : listeners) {
            if (!listener.isListening()) {
                continue;
            }
            if (ids == null) {
                ids = deliveryIds.get().distinct().toList();
            }
            try {
                listener.committed(ids);
            } catch (RuntimeException e) {
                Log.warnf(e, "Outcome listener %s failed", listener.getClass().getName());
            }
        }
    }
}
