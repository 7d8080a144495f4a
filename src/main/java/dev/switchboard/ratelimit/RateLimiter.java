package dev.switchboard.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One {@link TokenBucket} per key (a webhook, a client address), created on first use. */
public final class RateLimiter {

    private final double ratePerSecond;
    private final double burst;
    private final int maxKeys;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double ratePerSecond, double burst, int maxKeys) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
    }

    /** 0 if the call may proceed, else the nanoseconds to wait. */
    public long tryAcquire(String key, long nowNanos) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= maxKeys) {
                // Forgetting every bucket is crude but bounded: only a flood of distinct keys gets here.
                buckets.clear();
            }
            bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(ratePerSecond, burst, nowNanos));
        }
        return bucket.tryTake(nowNanos);
    }

    /** Whole seconds for a {@code Retry-After} header: never 0, so clients do wait. */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    }
}
