package dev.switchboard.delivery.recording;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.quarkus.logging.Log;

/**
 * Group commit: one background thread takes whatever is queued, in batches of up to {@code maxBatch}, and hands
 * each batch to a writer. Offering never blocks (callers are on the event loop); a full queue says no at once.
 * While a batch is being written the next one accumulates, so batches grow with load by themselves; a small
 * batch waits at most {@code maxDelay} for company.
 */
final class BatchLoop<T> {

    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final BlockingQueue<T> queue;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final Consumer<List<T>> writer;
    private final Thread thread;
    private volatile boolean stopping;

    BatchLoop(String threadName, int capacity, int maxBatch, Duration maxDelay, Consumer<List<T>> writer) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelay.toNanos();
        this.writer = writer;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** False when the queue is full or the loop is stopping: the item was not taken. */
    boolean offer(T item) {
        return !stopping && queue.offer(item);
    }

    int depth() {
        return queue.size();
    }

    /**
     * Stops taking items, writes what is queued, and answers what could not be written in time (or was offered
     * while stopping), so the owner can fail it instead of leaving callers waiting forever.
     */
    List<T> stop(Duration timeout) {
        stopping = true;
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        return drainQueued();
    }

    boolean isStopping() {
        return stopping;
    }

    /** Takes everything queued now, for the owner to fail it at once (e.g. when the database is unreachable). */
    List<T> drainQueued() {
        List<T> left = new ArrayList<>();
        queue.drainTo(left);
        return left;
    }

    private void run() {
        while (true) {
            // Fresh lists each round: the writer may hand the batch on (e.g. to complete futures elsewhere).
            List<T> batch = new ArrayList<>();
            try {
                if (!take(batch)) {
                    if (stopping && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            writeSafely(batch);
        }
    }

    /** Takes the next batch into {@code taken}; false when nothing came within the idle poll. */
    private boolean take(List<T> taken) throws InterruptedException {
        T first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
        if (first == null) {
            return false;
        }
        taken.add(first);
        queue.drainTo(taken, maxBatch - taken.size());
        long deadline = System.nanoTime() + maxDelayNanos;
        while (taken.size() < maxBatch && !stopping) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            T next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            taken.add(next);
            queue.drainTo(taken, maxBatch - taken.size());
        }
        return true;
    }

    private void writeSafely(List<T> batch) {
        try {
            writer.accept(batch);
        } catch (RuntimeException | Error e) {
            // The writer handles its own failures; reaching here is a bug, and the loop must outlive it.
            Log.errorf(e, "Batch writer %s failed unexpectedly on %d items", thread.getName(), batch.size());
        }
    }
}
