package dev.switchboard.routing.legacy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.jboss.logging.Logger;

/**
 * Kills guest work that runs too long or allocates too much, by cancelling its whole context.
 *
 * <p>Each open context gets a {@link Guard} that is checked periodically while the context lives;
 * each call opens a {@link Window} on it. Scheduling one timer task per call would cost more
 * than the call itself (calls take microseconds), so a call only publishes its window.
 *
 * <p>The timer thread only decides; {@code context.close(true)} runs on a reaper thread because it
 * blocks until the guest reaches a safepoint, which an uninterruptible builtin (e.g.
 * {@code 'x'.repeat(2**29)}) can delay for seconds. A blocked timer would stop enforcing every
 * other context's deadline.
 */
final class Watchdog implements AutoCloseable {

    enum Reason { TIMEOUT, ALLOCATION }

    private static final Logger LOG = Logger.getLogger(Watchdog.class);

    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService reaper;
    private final AllocationMeter meter;
    private final long maxAllocatedBytes;
    private final long checkIntervalNanos;

    /**
     * @param checkInterval how often guarded contexts are checked; a deadline fires at most this late
     * @param maxAllocatedBytesPerCall allocation cap per window, {@code 0} for none
     */
    Watchdog(Duration checkInterval, long maxAllocatedBytesPerCall) {
        this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("legacy-fn-watchdog"));
        // Most guards live for well under one interval; drop their cancelled ticks at once.
        this.timer.setRemoveOnCancelPolicy(true);
        this.reaper = Executors.newCachedThreadPool(daemonThreads("legacy-fn-reaper"));
        this.meter = maxAllocatedBytesPerCall > 0 ? AllocationMeter.create() : AllocationMeter.disabled();
        this.maxAllocatedBytes = maxAllocatedBytesPerCall;
        this.checkIntervalNanos = checkInterval.toNanos();
    }

    /** Starts guarding {@code context}; close the guard before (or when) closing the context. */
    Guard guard(Context context) {
        Guard g = new Guard(context);
        try {
            g.ticker = timer.scheduleAtFixedRate(g::check, checkIntervalNanos, checkIntervalNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("legacy function sandbox is closed", e);
        }
        return g;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        reaper.shutdown();
    }

    final class Guard implements AutoCloseable {
        private final Context context;
        private volatile ScheduledFuture<?> ticker;
        private volatile Window current;

        private Guard(Context context) {
            this.context = context;
        }

        /** Opens a window for guest work the current thread is about to do. */
        Window begin(long deadlineNanos) {
            Window w = new Window(deadlineNanos, Thread.currentThread().getId(), meter.allocatedBytesOfCurrentThread());
            current = w;
            return w;
        }

        @Override
        public void close() {
            ScheduledFuture<?> t = ticker;
            if (t != null) {
                t.cancel(false);
            }
        }

        private void check() {
            Window w = current;
            if (w == null || !w.active()) {
                return;
            }
            if (System.nanoTime() - w.deadlineNanos >= 0) {
                kill(w, Reason.TIMEOUT);
            } else if (meter.enabled() && meter.allocatedBytes(w.threadId) - w.allocatedAtStart > maxAllocatedBytes) {
                kill(w, Reason.ALLOCATION);
            }
        }

        private void kill(Window w, Reason why) {
            if (w.kill(why)) {
                close();
                reaper.execute(this::cancelContext);
            }
        }

        private void cancelContext() {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                // Already closed or closing: the guest is stopped either way.
                LOG.debugf("closing killed legacy function context: %s", e.toString());
            }
        }
    }

    /** One stretch of guest work with its own deadline and allocation baseline. */
    static final class Window {
        private static final int ACTIVE = 0;
        private static final int DONE = 1;
        private static final int KILLED = 2;

        private final AtomicInteger state = new AtomicInteger(ACTIVE);
        private final long deadlineNanos;
        private final long threadId;
        private final long allocatedAtStart;
        private volatile Reason reason;

        private Window(long deadlineNanos, long threadId, long allocatedAtStart) {
            this.deadlineNanos = deadlineNanos;
            this.threadId = threadId;
            this.allocatedAtStart = allocatedAtStart;
        }

        /**
         * Ends the window. Returns why the watchdog killed the context, or {@code null} if it did
         * not; once this returns, the watchdog no longer acts on this window.
         */
        Reason end() {
            return state.compareAndSet(ACTIVE, DONE) ? null : reason;
        }

        private boolean active() {
            return state.get() == ACTIVE;
        }

        private boolean kill(Reason why) {
            reason = why;
            return state.compareAndSet(ACTIVE, KILLED);
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
