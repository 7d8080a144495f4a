package dev.switchboard.routing;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits for legacy cloud functions (DESIGN.md: 50 ms per call, 1 s per request by default). */
@ConfigMapping(prefix = "switchboard.legacy-functions")
public interface LegacyFunctionConfig {

    @WithDefault("50ms")
    Duration perCallTimeout();

    @WithDefault("1s")
    Duration requestBudget();

    @WithDefault("1000000")
    long statementLimit();

    /** Bytes one call may allocate before it is killed: community GraalVM has no guest heap limit. */
    @WithDefault("268435456")
    long maxAllocatedBytesPerCall();

    /** Evaluations running at once; bounds the CPU and memory legacy functions can take together. */
    @WithDefault("2")
    int maxConcurrentEvaluations();

    /**
     * Requests waiting for a legacy function beyond those running; they wait on the functions' own threads (never the
     * worker pool the portal, API and sockets use). A request that finds the queue full is answered 503 with
     * Retry-After.
     */
    @WithDefault("64")
    int maxQueuedEvaluations();
}
