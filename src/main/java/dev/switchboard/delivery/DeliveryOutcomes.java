package dev.switchboard.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

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

    /** Times travel as epoch microseconds: exact, and cheaper to write and to read than text. */
    private static String at(String micros) {
        return "timestamptz 'epoch' + " + micros + " * interval '1 microsecond'";
    }

    private final WriterConnection connection;
    private final UnwrittenOutcomes unwritten;
    private final int maxRowsPerStatement;
    private final long gatherNanos;
    private final Queue<CompletableFuture<Void>> flushWaiters = new ConcurrentLinkedQueue<>();
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

    /** Waits until every update offered before this call has been written (or has failed). For tests. */
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
        lost.increment(unwritten.takeAll().size());
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

    /** Every gather interval (or at once for a flush), writes whatever changed, in statements of bounded size. */
    private void run() {
        while (true) {
            boolean last = stopping;
            if (!last && flushWaiters.isEmpty()) {
                LockSupport.parkNanos(gatherNanos);
            }
            List<CompletableFuture<Void>> flushes = new ArrayList<>();
            for (CompletableFuture<Void> f; (f = flushWaiters.poll()) != null;) {
                flushes.add(f);
            }
            try {
                List<TargetChange> changes = unwritten.takeAll();
                for (int from = 0; from < changes.size(); from += maxRowsPerStatement) {
                    write(changes.subList(from, Math.min(changes.size(), from + maxRowsPerStatement)));
                }
            } catch (RuntimeException | Error e) {
                // write() handles its own failures; reaching here is a bug, and the writer must outlive it.
                Log.errorf(e, "Outcome writer failed unexpectedly");
            }
            flushes.forEach(f -> f.complete(null));
            if (last) {
                return;
            }
        }
    }

    private void write(List<TargetChange> changes) {
        for (boolean firstTry = true;; firstTry = false) {
            try {
                int unmatched = update(connection.get(), changes);
                written.increment(changes.size() - unmatched);
                tellListeners(changes);
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
    private void tellListeners(List<TargetChange> changes) {
        List<String> ids = null;
        for (OutcomeListener listener : listeners) {
            if (!listener.isListening()) {
                continue;
            }
            if (ids == null) {
                Set<String> distinct = new LinkedHashSet<>();
                for (TargetChange change : changes) {
                    distinct.add(change.deliveryId());
                }
                ids = List.copyOf(distinct);
            }
            try {
                listener.committed(ids);
            } catch (RuntimeException e) {
                Log.warnf(e, "Outcome listener %s failed", listener.getClass().getName());
            }
        }
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
