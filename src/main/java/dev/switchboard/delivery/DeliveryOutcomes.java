package dev.switchboard.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
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

import dev.switchboard.delivery.TargetChange.Event;
import dev.switchboard.delivery.TargetChange.Kind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Records what happened to each target (sent to its Homey, acknowledged by it), fire-and-forget: events are merged
 * per target ({@link UnwrittenOutcomes}) and a background thread writes them every {@code outcome-max-delay}, one
 * statement per up to {@code max-batch} targets. Losing an update (too many targets waiting, crash) is acceptable:
 * an unacknowledged message is sent again on the next connection, and the Homey drops duplicates by ID. Committed
 * changes are told to the {@link OutcomeListener}s (the live delivery log).
 *
 * <p>Targets of online Homeys are {@linkplain #defer deferred}: the recorder lists them on the delivery instead of
 * writing a pending row, and their row is written here once, with its outcome, when the Homey acknowledged (or
 * could not take the message, or {@code deferred-target-grace} passed). Deferred targets are never dropped: a failed
 * write is retried, and after a crash {@link #recoverDeferredTargets} writes the rows still missing, reading the
 * deliveries received since the checkpoint this writer keeps.
 */
@Startup
@ApplicationScoped
public class DeliveryOutcomes {

    static final String WRITER_NAME = "switchboard-delivery-outcomes";
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
    private static final Duration FLUSH_LIMIT = Duration.ofSeconds(30);

    /**
     * One statement per batch, however large: the changes travel as arrays and are joined to their rows by primary
     * key. Executing one UPDATE per target cost the database more per row than recording the delivery did, and the
     * writer fell behind at a few thousand acknowledgements a second. An ack wins over any state (the Homey has the
     * message); a send never revives expired/dropped/error targets.
     */
    private static final String UPDATE = "UPDATE delivery_target t SET"
            + " state = CASE WHEN u.acked IS NOT NULL THEN 'acked'"
            + "   WHEN t.state IN ('pending', 'delivered') THEN 'delivered' ELSE t.state END,"
            + " attempts = t.attempts + u.sends,"
            + " first_sent_at = coalesce(t.first_sent_at, u.first_sent),"
            + " last_sent_at = greatest(t.last_sent_at, u.last_sent),"
            + " acked_at = coalesce(t.acked_at, u.acked)"
            + " FROM (SELECT " + at("r") + " AS received_at, d AS delivery_id, h AS homey_id, s AS sends,"
            + "   " + at("f") + " AS first_sent, " + at("l") + " AS last_sent, " + at("a") + " AS acked"
            + "   FROM unnest(?::int8[], ?::varchar[], ?::varchar[], ?::int4[], ?::int8[], ?::int8[], ?::int8[])"
            + "   AS x(r, d, h, s, f, l, a)) u"
            + " WHERE t.received_at = u.received_at AND t.delivery_id = u.delivery_id AND t.homey_id = u.homey_id";

    /**
     * Deferred targets, written with what is known of them. A row may exist already: recovery after a crash wrote
     * it as pending; then the outcome is applied to it like an update.
     */
    private static final String INSERT_DEFERRED = "INSERT INTO delivery_target AS t (received_at, delivery_id, homey_id,"
            + " webhook_id, state, attempts, first_sent_at, last_sent_at, acked_at)"
            + " SELECT " + at("r") + ", d, h, w,"
            + "   CASE WHEN a IS NOT NULL THEN 'acked' WHEN s > 0 THEN 'delivered' ELSE 'pending' END,"
            + "   s, " + at("f") + ", " + at("l") + ", " + at("a")
            + " FROM unnest(?::int8[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int4[], ?::int8[], ?::int8[],"
            + "   ?::int8[]) AS x(r, d, h, w, s, f, l, a)"
            + " ON CONFLICT (received_at, delivery_id, homey_id) DO UPDATE SET"
            + " state = CASE WHEN excluded.acked_at IS NOT NULL THEN 'acked'"
            + "   WHEN excluded.attempts > 0 AND t.state IN ('pending', 'delivered') THEN 'delivered' ELSE t.state END,"
            + " attempts = t.attempts + excluded.attempts,"
            + " first_sent_at = coalesce(t.first_sent_at, excluded.first_sent_at),"
            + " last_sent_at = greatest(t.last_sent_at, excluded.last_sent_at),"
            + " acked_at = coalesce(t.acked_at, excluded.acked_at)";

    private static final String CHECKPOINT = "UPDATE deferred_target_checkpoint SET written_before = ?";

    /** The rows of deferred targets a crash left unwritten, as pending: their Homeys get the messages again. */
    private static final String RECOVER = "INSERT INTO delivery_target (received_at, delivery_id, homey_id, webhook_id)"
            + " SELECT d.received_at, d.id, u.homey_id, d.webhook_id FROM delivery d"
            + " CROSS JOIN LATERAL unnest(d.deferred_homey_ids) AS u(homey_id)"
            + " WHERE d.received_at >= (SELECT written_before FROM deferred_target_checkpoint)"
            + " AND d.deferred_homey_ids IS NOT NULL"
            + " ON CONFLICT DO NOTHING";

    /**
     * How far the checkpoint stays behind the oldest deferred target it knows of: a request is deferred only after
     * routing, which may run a legacy function first, so one received earlier may still be deferred after it.
     */
    static final Duration CHECKPOINT_LAG = Duration.ofMinutes(1);
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Times travel as epoch microseconds: exact, and cheaper to write and to read than text. */
    private static String at(String micros) {
        return "timestamptz 'epoch' + " + micros + " * interval '1 microsecond'";
    }

    private final WriterConnection connection;
    private final UnwrittenOutcomes unwritten;
    private final int maxRowsPerStatement;
    private final long gatherNanos;
    private final long graceNanos;
    private final Queue<CompletableFuture<Void>> flushWaiters = new ConcurrentLinkedQueue<>();
    /** Run after the next write, once a declined deferred target has its row (see {@link #declined}). */
    private final Queue<Runnable> afterNextWrite = new ConcurrentLinkedQueue<>();
    private long checkpointWrittenAt = System.nanoTime() - CHECKPOINT_EVERY_NANOS;
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
                .description("Target rows updated with sent/acked changes").register(registry);
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
            Connection c = connection.get();
            int recovered;
            try (Statement s = c.createStatement()) {
                recovered = s.executeUpdate(RECOVER);
            }
            c.commit();
            if (recovered > 0) {
                Log.infof("Recovered %d message targets whose outcome was not written before the last stop; their"
                        + " Homeys get them again", recovered);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            connection.discard();
            Log.errorf("Could not recover unwritten message targets (retrying): %s", SqlFailure.describe(e));
            return false;
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
        for (boolean firstTry = true;; firstTry = false) {
            try {
                insert(connection.get(), targets);
                written.increment(targets.size());
                tellListeners(() -> targets.stream().map(t -> t.deliveryId));
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.discard();
                if (SqlFailure.of(e) == SqlFailure.CONNECTION_LOST && firstTry) {
                    continue;
                }
                UnwrittenOutcomes.Deferred first = targets.get(0);
                Log.warnf("Could not write %d message targets (first delivery %s, Homey %s), retrying: %s",
                        targets.size(), first.deliveryId, first.homeyId, SqlFailure.describe(e));
                return false;
            }
        }
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
            Connection c = connection.get();
            try (PreparedStatement s = c.prepareStatement(CHECKPOINT)) {
                s.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
                s.executeUpdate();
            }
            c.commit();
            checkpointWrittenAt = System.nanoTime();
            checkpointDue = false;
        } catch (SQLException | RuntimeException e) {
            connection.discard();
            Log.warnf("Could not move the deferred-target checkpoint (recovery reads further back): %s",
                    SqlFailure.describe(e));
        }
    }

    private void write(List<TargetChange> changes) {
        for (boolean firstTry = true;; firstTry = false) {
            try {
                int unmatched = update(connection.get(), changes);
                written.increment(changes.size() - unmatched);
                tellListeners(() -> changes.stream().map(TargetChange::deliveryId));
                if (unmatched > 0) {
                    Log.debugf("%d of %d outcome updates found no target (not recorded yet, partition dropped, or unknown ID)",
                            unmatched, changes.size());
                }
                return;
            } catch (SQLException | RuntimeException e) {
                connection.discard();
                if (SqlFailure.of(e) == SqlFailure.CONNECTION_LOST && firstTry) {
                    continue;
                }
                lost.increment(changes.size());
                TargetChange first = changes.get(0);
                Log.warnf("Could not write %d outcome updates (first delivery %s, Homey %s): %s", changes.size(),
                        first.deliveryId(), first.homeyId(), SqlFailure.describe(e));
                return;
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

    private static void insert(Connection c, List<UnwrittenOutcomes.Deferred> targets) throws SQLException {
        int n = targets.size();
        Long[] receivedAt = new Long[n];
        String[] deliveryIds = new String[n];
        String[] homeyIds = new String[n];
        String[] webhookIds = new String[n];
        Integer[] sends = new Integer[n];
        Long[] firstSent = new Long[n];
        Long[] lastSent = new Long[n];
        Long[] acked = new Long[n];
        for (int i = 0; i < n; i++) {
            UnwrittenOutcomes.Deferred target = targets.get(i);
            TargetChange change = target.change;
            receivedAt[i] = micros(target.receivedAt);
            deliveryIds[i] = target.deliveryId;
            homeyIds[i] = target.homeyId;
            webhookIds[i] = target.webhookId;
            sends[i] = change == null ? 0 : change.sends();
            firstSent[i] = change == null ? null : micros(change.firstSent());
            lastSent[i] = change == null ? null : micros(change.lastSent());
            acked[i] = change == null ? null : micros(change.acked());
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_DEFERRED)) {
            s.setArray(1, c.createArrayOf("int8", receivedAt));
            s.setArray(2, c.createArrayOf("text", deliveryIds));
            s.setArray(3, c.createArrayOf("text", homeyIds));
            s.setArray(4, c.createArrayOf("text", webhookIds));
            s.setArray(5, c.createArrayOf("int4", sends));
            s.setArray(6, c.createArrayOf("int8", firstSent));
            s.setArray(7, c.createArrayOf("int8", lastSent));
            s.setArray(8, c.createArrayOf("int8", acked));
            s.executeUpdate();
        }
        c.commit();
    }

    /** Answers how many changes found no row. */
    private static int update(Connection c, List<TargetChange> changes) throws SQLException {
        int n = changes.size();
        Long[] receivedAt = new Long[n];
        String[] deliveryIds = new String[n];
        String[] homeyIds = new String[n];
        Integer[] sends = new Integer[n];
        Long[] firstSent = new Long[n];
        Long[] lastSent = new Long[n];
        Long[] acked = new Long[n];
        for (int i = 0; i < n; i++) {
            TargetChange change = changes.get(i);
            receivedAt[i] = micros(change.receivedAt());
            deliveryIds[i] = change.deliveryId();
            homeyIds[i] = change.homeyId();
            sends[i] = change.sends();
            firstSent[i] = micros(change.firstSent());
            lastSent[i] = micros(change.lastSent());
            acked[i] = micros(change.acked());
        }
        int updated;
        try (PreparedStatement s = c.prepareStatement(UPDATE)) {
            s.setArray(1, c.createArrayOf("int8", receivedAt));
            s.setArray(2, c.createArrayOf("text", deliveryIds));
            s.setArray(3, c.createArrayOf("text", homeyIds));
            s.setArray(4, c.createArrayOf("int4", sends));
            s.setArray(5, c.createArrayOf("int8", firstSent));
            s.setArray(6, c.createArrayOf("int8", lastSent));
            s.setArray(7, c.createArrayOf("int8", acked));
            updated = s.executeUpdate();
        }
        c.commit();
        return n - updated;
    }

    private static Long micros(Instant at) {
        return at == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }
}
