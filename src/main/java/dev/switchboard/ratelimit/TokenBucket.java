package dev.switchboard.ratelimit;

/**
 * A token bucket: {@code ratePerSecond} tokens flow in, up to {@code burst}. Thread-safe and allocation-free;
 * callers pass the clock so it is testable without sleeping.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastRefillNanos;

    public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
    }

    /** True when the bucket has refilled completely: it then limits nothing a fresh bucket would not. */
    public synchronized boolean isFull(long nowNanos) {
        return tokens + Math.max(0, nowNanos - lastRefillNanos) * ratePerNano >= burst;
    }

    /** Takes one token: 0 when it was available, else the nanoseconds until one will be. */
    public synchronized long tryTake(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            lastRefillNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerNano);
    }
}
