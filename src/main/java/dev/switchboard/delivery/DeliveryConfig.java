package dev.switchboard.delivery;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the delivery store; every one has a production default here. */
@ConfigMapping(prefix = "switchboard.delivery")
public interface DeliveryConfig {

    /** Requests waiting to be recorded; beyond this the sender gets 503 at once instead of a growing backlog. */
    @WithDefault("50000")
    int queueCapacity();

    /**
     * Memory the waiting requests may take (bodies plus an allowance for headers): with bodies of up to 1 MiB,
     * the count alone would let a flood of large requests exhaust the heap before the queue is "full".
     */
    @WithDefault("128M")
    MemorySize queueMaxBytes();

    /** Most requests committed in one transaction. */
    @WithDefault("2000")
    int maxBatch();

    /**
     * How long a batch that is not full waits for more requests before it commits. 0 (the default) commits
     * whatever is queued at once: the single writer already groups everything that arrives during a commit, so
     * batches grow with load by themselves, and measured, a fixed 2 ms wait only added latency and cut throughput
     * (1 request in flight: 3 ms vs 0.3-0.7 ms; 16 in flight: 3,600-4,000 vs 10,300-10,500 requests/s). Raise it
     * only to trade latency for fewer, larger transactions.
     */
    @WithDefault("0ms")
    Duration maxDelay();

    /** The Retry-After a sender gets when its request cannot be recorded. */
    @WithDefault("1s")
    Duration retryAfter();

    /** Bound on one batch's statements, so a stuck database fails the batch (503) instead of hanging senders. */
    @WithDefault("10s")
    Duration writeTimeout();

    /**
     * Targets whose row or sent/acked changes may wait to be written (each merged into one change, about 200 bytes).
     * Beyond it, changes of further targets are dropped until the writer catches up (at-least-once resend covers
     * delivery, but the log then shows an older state), and new targets of online Homeys get their pending row with
     * the delivery instead of being deferred.
     */
    @WithDefault("500000")
    int outcomeQueueCapacity();

    /**
     * How long sent/acked updates gather before they are written. Longer than {@link #maxDelay()}: nobody waits for
     * them, and a fast ack then lands in the same write as its send and costs one row update instead of two.
     */
    @WithDefault("50ms")
    Duration outcomeMaxDelay();

    /**
     * How long the target of a message sent at once to an online Homey waits for the acknowledgement before its row
     * is written anyway (as delivered). Acknowledged sooner, its row is written once, as acked.
     */
    @WithDefault("2s")
    Duration deferredTargetGrace();

    /** How long a message waits for an offline Homey. */
    @WithDefault("24h")
    Duration pendingTtl();

    /** Most messages waiting per Homey; the oldest beyond it are dropped. */
    @WithDefault("1000")
    int perHomeyCap();

    /** How long the log keeps deliveries; whole day partitions older than this are dropped. */
    @WithDefault("7d")
    Duration retention();

    /** Day partitions created ahead of today. */
    @WithDefault("2")
    int partitionsAhead();

    /** Most targets one maintenance run expires, so a run stays short after a long outage. */
    @WithDefault("20000")
    int maxExpiredPerRun();

    /**
     * How often expiry, the per-Homey cap, partitions and the waiting gauge are maintained. Read by
     * {@code @Scheduled} through its property name, so it is declared here for documentation and validation.
     */
    @WithDefault("30s")
    Duration maintenanceInterval();
}
