package dev.switchboard.homey;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of message frames in flight (sent, not yet acknowledged) to every Homey on this node together, against
 * {@code switchboard.homeys.max-in-flight-bytes-per-node}. Each Homey's own cap sits below it (see
 * {@link HomeySession}); this one bounds what many Homeys that read slowly can hold at once.
 */
final class InFlightBytes {

    private final long max;
    private final AtomicLong used = new AtomicLong();

    InFlightBytes(long max) {
        this.max = max;
    }

    static InFlightBytes unbounded() {
        return new InFlightBytes(Long.MAX_VALUE);
    }

    /** Takes {@code bytes} if they fit, or anyway when {@code always} (a Homey's one message in flight). */
    boolean take(long bytes, boolean always) {
        while (true) {
            long now = used.get();
            if (!always && now + bytes > max) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** True when nothing more fits, so a Homey with messages in flight need not read its backlog now. */
    boolean full() {
        return used.get() >= max;
    }

    long used() {
        return used.get();
    }
}
