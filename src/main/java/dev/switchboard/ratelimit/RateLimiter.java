package dev.switchboard.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link TokenBucket} per key (a webhook, a client address), created on first use, at most {@code maxKeys} of
 * them. When the table is full, buckets that have refilled completely are dropped (a fresh bucket would limit the
 * same); if none has, the table is kept as it is and a new key waits: a flood of distinct keys can never wipe the
 * limits of the keys already counted.
 */
public final class RateLimiter {

    /** How often a full table is swept at most, and how long a key that found no room is told to wait. */
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final double ratePerSecond;
    private final double burst;
    private final int maxKeys;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private long lastSweepNanos;
    private boolean swept;

    public RateLimiter(double ratePerSecond, double burst, int maxKeys) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
    }

    /** 0 if the call may proceed, else the nanoseconds to wait. */
    public long tryAcquire(String key, long nowNanos) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys && !makeRoom(nowNanos)) {
                return SWEEP_INTERVAL_NANOS;
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(ratePerSecond, burst, nowNanos));
        }
        return bucket.tryTake(nowNanos);
    }

    /** Keys tracked now. */
    public int size() {
        return buckets.size();
    }

    /** Drops refilled buckets, at most once per sweep interval; true if there is room for a new key. */
    private synchronized boolean makeRoom(long nowNanos) {
        if (buckets.size() < maxKeys) {
            return true;
        }
        if (swept && nowNanos - lastSweepNanos < SWEEP_INTERVAL_NANOS) {
            return false;
        }
        swept = true;
        lastSweepNanos = nowNanos;
        buckets.values().removeIf(bucket -> bucket.isFull(nowNanos));
        return buckets.size() < maxKeys;
    }

    /** Whole seconds for a {@code Retry-After} header: never 0, so clients do wait. */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
}
