package dev.switchboard.routing.legacy;

import java.lang.management.ManagementFactory;
import org.jboss.logging.Logger;

/**
 * Reads how many bytes a thread has allocated, via HotSpot's {@code com.sun.management.ThreadMXBean}.
 *
 * <p>Community GraalVM offers no guest heap limit ({@code sandbox.MaxHeapMemory} exists only in
 * Oracle GraalVM), so per-thread allocation is the cheapest stand-in: the guest runs on the
 * calling thread, and a function that allocates hundreds of MiB within 50 ms is an attack.
 * Not every runtime offers the counter (e.g. some native-image builds); then the meter is off
 * and only the time and statement limits apply.
 */
final class AllocationMeter {

    private static final Logger LOG = Logger.getLogger(AllocationMeter.class);

    private final com.sun.management.ThreadMXBean bean;

    private AllocationMeter(com.sun.management.ThreadMXBean bean) {
        this.bean = bean;
    }

    static AllocationMeter disabled() {
        return new AllocationMeter(null);
    }

    static AllocationMeter create() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean b
                    && b.isThreadAllocatedMemorySupported()) {
                if (!b.isThreadAllocatedMemoryEnabled()) {
                    b.setThreadAllocatedMemoryEnabled(true);
                }
                b.getCurrentThreadAllocatedBytes();
                return new AllocationMeter(b);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.debugf("thread allocation counter unavailable: %s", e.toString());
        }
        LOG.warn("Per-thread allocation counters are unavailable; legacy functions are limited by time and statements only");
        return disabled();
    }

    boolean enabled() {
        return bean != null;
    }

    long allocatedBytesOfCurrentThread() {
        return bean == null ? 0 : bean.getCurrentThreadAllocatedBytes();
    }

    long allocatedBytes(long threadId) {
        return bean == null ? 0 : bean.getThreadAllocatedBytes(threadId);
    }
}
