package dev.switchboard.delivery.recording;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.delivery.DeliveryConfig;
import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.RecordingUnavailable;
import dev.switchboard.delivery.store.DeliveryPartitions;
import dev.switchboard.delivery.store.HomeysWithNewTargets;
import dev.switchboard.delivery.store.SqlFailure;
import dev.switchboard.delivery.store.WriterConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Durably records accepted sender requests with group commit (DESIGN.md, "Sender endpoint" and "Hot path
 * budget"): callers on the event loop enqueue and get a future; one writer thread commits everything queued in
 * one transaction and completes the futures. A completed future means committed in PostgreSQL; a failed one
 * carries {@link RecordingUnavailable} and the sender must get 503.
 */
@Startup
@ApplicationScoped
public class DeliveryRecorder {

    static final String WRITER_NAME = "switchboard-delivery-recorder";
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    /** Headers, IDs and objects of a queued record beyond its body: generous, it only bounds memory. */
    private static final long RECORD_OVERHEAD_BYTES = 2048;

    /** A queued record; {@code bytes} is what it counts against the queue's memory bound. */
    private record Pending(DeliveryRecord record, CompletableFuture<Void> done, long bytes) {
    }

    private final DeliveryConfig config;
    private final DeliveryInsert insert;
    private final WriterConnection connection;
    private final HomeysWithNewTargets newTargets;
    private final Clock clock;
    private final BatchLoop<Pending> loop;
    /** Completes futures off the writer thread, so callers' continuations never delay the next commit. */
    private final ExecutorService completer;
    private final AtomicBoolean saturated = new AtomicBoolean();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long maxQueuedBytes;

    private final Counter recorded;
    private final Counter failed;
    private final Counter rejected;
    private final DistributionSummary batchSize;
    private final Timer commitTime;

    DeliveryRecorder(DeliveryConfig config, DataSource dataSource, ObjectMapper mapper, MeterRegistry registry,
            HomeysWithNewTargets newTargets, Clock clock) {
        this.config = config;
        this.insert = new DeliveryInsert(mapper);
        this.connection = new WriterConnection(dataSource, WRITER_NAME, config.writeTimeout(), true);
        this.newTargets = newTargets;
        this.clock = clock;
        this.maxQueuedBytes = config.queueMaxBytes().asLongValue();
        this.loop = new BatchLoop<>(WRITER_NAME, config.queueCapacity(), config.maxBatch(), config.maxDelay(),
                this::write);
        this.completer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, WRITER_NAME + "-completer");
            thread.setDaemon(true);
            return thread;
        });
        this.recorded = Counter.builder("switchboard.delivery.recorded")
                .description("Deliveries committed to the log").register(registry);
        this.failed = Counter.builder("switchboard.delivery.record.failed")
                .description("Deliveries that could not be committed (sender got 503)").register(registry);
        this.rejected = Counter.builder("switchboard.delivery.record.rejected")
                .description("Deliveries refused because the recording queue was full or closing (sender got 503)")
                .register(registry);
        this.batchSize = DistributionSummary.builder("switchboard.delivery.record.batch.size")
                .description("Deliveries per committed transaction").register(registry);
        this.commitTime = Timer.builder("switchboard.delivery.record.commit")
                .description("Time to write and commit one batch").register(registry);
        Gauge.builder("switchboard.delivery.record.queue", loop, BatchLoop::depth)
                .description("Deliveries waiting to be committed").register(registry);
        loop.start();
    }

    /**
     * Queues {@code record} for the next group commit. Never blocks. The stage completes once the record and its
     * pending targets are committed, or fails with {@link RecordingUnavailable} (queue full, database failing,
     * shutting down). Completion happens on a background thread: hop back to your own context.
     */
    public CompletionStage<Void> record(DeliveryRecord record) {
        String problem = invalidity(record);
        if (problem != null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(problem));
        }
        long bytes = RECORD_OVERHEAD_BYTES + (record.body() == null ? 0 : record.body().length);
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (queuedBytes.addAndGet(bytes) > maxQueuedBytes) {
            queuedBytes.addAndGet(-bytes);
            return refuse("full (memory)");
        }
        if (!loop.offer(new Pending(record, done, bytes))) {
            queuedBytes.addAndGet(-bytes);
            return refuse(loop.isStopping() ? "closed" : "full");
        }
        if (saturated.get()) {
            saturated.set(false);
        }
        return done;
    }

    private CompletionStage<Void> refuse(String why) {
        rejected.increment();
        if (saturated.compareAndSet(false, true)) {
            Log.warnf("Recording queue %s (%d deliveries, %d bytes queued): senders get 503 until it drains", why,
                    loop.depth(), queuedBytes.get());
        }
        return CompletableFuture.failedFuture(new RecordingUnavailable("Recording queue " + why,
                config.retryAfter()));
    }

    /** Records waiting for the writer now. */
    public int queueDepth() {
        return loop.depth();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        List<Pending> unwritten = loop.stop(SHUTDOWN_GRACE);
        if (!unwritten.isEmpty()) {
            Log.warnf("Shutting down with %d deliveries not recorded; their senders get 503", unwritten.size());
            fail(unwritten, "Shutting down");
        }
        completer.shutdown();
        try {
            completer.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }

    private static String invalidity(DeliveryRecord record) {
        if (record == null) {
            return "No record";
        }
        if (!DeliveryIds.isWellFormed(record.id())) {
            return "Malformed delivery ID " + record.id();
        }
        if (record.webhookId() == null || record.method() == null || record.routedBy() == null
                || record.homeyIds() == null || record.deferredHomeyIds() == null) {
            return "Incomplete record " + record.id();
        }
        for (String homeyId : record.homeyIds()) { // not contains(null): immutable lists throw on it
            if (homeyId == null) {
                return "Null Homey ID in record " + record.id();
            }
        }
        return null;
    }

    // ---- writer thread ------------------------------------------------------------------------------------------

    private void write(List<Pending> batch) {
        try {
            connection.get();
        } catch (SQLException e) {
            // No connection: everything queued behind this batch would wait for the same failure, one pool
            // timeout per batch. Fail it all now; senders retry after Retry-After.
            List<Pending> all = new ArrayList<>(batch);
            all.addAll(loop.drainQueued());
            Log.errorf("Could not record %d deliveries (first %s): no database connection (%s)", all.size(),
                    all.get(0).record().id(), SqlFailure.describe(e));
            fail(all, "Database unavailable");
            return;
        }
        commit(batch, true);
    }

    /** Writes and commits {@code part}; on failure retries, isolates bad records, or fails it (see SqlFailure). */
    private void commit(List<Pending> part, boolean firstTry) {
        long start = System.nanoTime();
        try {
            Connection c = connection.get();
            insert.write(c, records(part));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            recover(part, firstTry, e);
            return;
        }
        commitTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        batchSize.record(part.size());
        recorded.increment(part.size());
        onCompleter(() -> succeed(part));
    }

    private void recover(List<Pending> part, boolean firstTry, Exception e) {
        SqlFailure failure = SqlFailure.of(e);
        if (failure == SqlFailure.CONNECTION_LOST) {
            connection.discard();
            if (firstTry) {
                Log.infof("Recorder connection lost (%s); retrying %d deliveries on a fresh one",
                        SqlFailure.describe(e), part.size());
                commit(part, false);
                return;
            }
        } else {
            connection.rollback();
            if (firstTry && SqlFailure.isCheckViolation(e) && createdMissingPartitions(part)) {
                commit(part, false);
                return;
            }
            if (failure == SqlFailure.ROW_SPECIFIC && part.size() > 1) {
                // One bad record must not cost every sender in the batch a 503: halve until it is isolated.
                int half = part.size() / 2;
                commit(part.subList(0, half), false);
                commit(part.subList(half, part.size()), false);
                return;
            }
            if (failure == SqlFailure.BATCH) {
                connection.discard();
            }
        }
        DeliveryRecord first = part.get(0).record();
        if (part.size() == 1) {
            Log.warnf("Could not record delivery %s of webhook %s: %s", first.id(), first.webhookId(),
                    SqlFailure.describe(e));
        } else {
            Log.errorf("Could not record %d deliveries (first %s): %s", part.size(), first.id(),
                    SqlFailure.describe(e));
        }
        fail(part, "Could not record: " + SqlFailure.describe(e));
    }

    /**
     * Creates the day partitions the part's records need, within the days the log keeps; true if any was missing.
     * Normally the maintenance job has created them days ahead; this covers a job that has not run (e.g. a node
     * whose clock crossed midnight first, or a database restored from an old backup).
     */
    private boolean createdMissingPartitions(List<Pending> part) {
        LocalDate today = DeliveryPartitions.dayOf(clock.instant());
        LocalDate oldest = today.minusDays(config.retention().toDays());
        LocalDate newest = today.plusDays(config.partitionsAhead());
        TreeSet<LocalDate> days = new TreeSet<>();
        for (Pending p : part) {
            LocalDate day = DeliveryPartitions.dayOf(DeliveryIds.timeOf(p.record().id()));
            if (!day.isBefore(oldest) && !day.isAfter(newest)) {
                days.add(day);
            }
        }
        if (days.isEmpty()) {
            return false;
        }
        try {
            Connection c = connection.get();
            int created = DeliveryPartitions.ensure(c, days.first(), days.last());
            c.commit();
            return created > 0;
        } catch (SQLException e) {
            Log.errorf("Could not create delivery partitions %s..%s: %s", days.first(), days.last(),
                    SqlFailure.describe(e));
            connection.rollback();
            return false;
        }
    }

    private static List<DeliveryRecord> records(List<Pending> part) {
        List<DeliveryRecord> records = new ArrayList<>(part.size());
        for (Pending p : part) {
            records.add(p.record());
        }
        return records;
    }

    private void succeed(List<Pending> part) {
        release(part);
        List<String> homeys = new ArrayList<>();
        for (Pending p : part) {
            homeys.addAll(p.record().homeyIds());
        }
        newTargets.addAll(homeys);
        for (Pending p : part) {
            p.done().complete(null);
        }
    }

    private void fail(List<Pending> part, String reason) {
        failed.increment(part.size());
        RecordingUnavailable unavailable = new RecordingUnavailable(reason, config.retryAfter());
        onCompleter(() -> {
            release(part);
            part.forEach(p -> p.done().completeExceptionally(unavailable));
        });
    }

    private void release(List<Pending> part) {
        long bytes = 0;
        for (Pending p : part) {
            bytes += p.bytes();
        }
        queuedBytes.addAndGet(-bytes);
    }

    private void onCompleter(Runnable task) {
        try {
            completer.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // shutting down: nobody else will complete these
        }
    }
}
