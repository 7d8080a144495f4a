package dev.switchboard.routing.legacy;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for running legacy cloud functions.
 *
 * @param perCallTimeout wall time one registration's call may take before it is killed
 *     (includes parsing that registration's data and the webhook body inside the sandbox)
 * @param requestBudget wall time for one {@code evaluate} call across all registrations,
 *     including waiting for a concurrency slot and creating contexts; registrations not
 *     reached in time are skipped
 * @param statementLimit JavaScript statements one call may execute (reset before every call)
 * @param maxSourceLength longest accepted function body, in characters
 * @param maxAllocatedBytesPerCall bytes the evaluating thread may allocate during one call
 *     before it is killed; {@code 0} disables the check. Community GraalVM has no heap limit
 *     for guest code, so this is the only brake on memory-hungry functions besides time.
 * @param maxConcurrentEvaluations evaluate calls running at once; further calls wait (out of
 *     their request budget). Bounds how much memory and CPU legacy functions can take at once.
 * @param contextPerRegistration {@code true} runs every registration in a fresh context, as
 *     Homey did; {@code false} shares one context per request (roughly 100x cheaper per call)
 */
public record SandboxLimits(
        Duration perCallTimeout,
        Duration requestBudget,
        long statementLimit,
        int maxSourceLength,
        long maxAllocatedBytesPerCall,
        int maxConcurrentEvaluations,
        boolean contextPerRegistration) {

    public static final Duration DEFAULT_PER_CALL_TIMEOUT = Duration.ofMillis(50);
    public static final Duration DEFAULT_REQUEST_BUDGET = Duration.ofSeconds(1);
    public static final long DEFAULT_STATEMENT_LIMIT = 1_000_000;
    public static final int DEFAULT_MAX_SOURCE_LENGTH = 64 * 1024;
    public static final long DEFAULT_MAX_ALLOCATED_BYTES_PER_CALL = 256L * 1024 * 1024;

    public SandboxLimits {
        Objects.requireNonNull(perCallTimeout, "perCallTimeout");
        Objects.requireNonNull(requestBudget, "requestBudget");
        requirePositive(perCallTimeout, "perCallTimeout");
        requirePositive(requestBudget, "requestBudget");
        if (statementLimit < 1) {
            throw new IllegalArgumentException("statementLimit must be positive");
        }
        if (maxSourceLength < 1) {
            throw new IllegalArgumentException("maxSourceLength must be positive");
        }
        if (maxAllocatedBytesPerCall < 0) {
            throw new IllegalArgumentException("maxAllocatedBytesPerCall must be >= 0");
        }
        if (maxConcurrentEvaluations < 1) {
            throw new IllegalArgumentException("maxConcurrentEvaluations must be positive");
        }
    }

    /** 50 ms per call, 1 s per request, 1M statements, 64 KiB source, 256 MiB per call, one evaluation per core. */
    public static SandboxLimits defaults() {
        return new SandboxLimits(
                DEFAULT_PER_CALL_TIMEOUT,
                DEFAULT_REQUEST_BUDGET,
                DEFAULT_STATEMENT_LIMIT,
                DEFAULT_MAX_SOURCE_LENGTH,
                DEFAULT_MAX_ALLOCATED_BYTES_PER_CALL,
                Math.max(2, Runtime.getRuntime().availableProcessors()),
                false);
    }

    public SandboxLimits withPerCallTimeout(Duration value) {
        return new SandboxLimits(value, requestBudget, statementLimit, maxSourceLength,
                maxAllocatedBytesPerCall, maxConcurrentEvaluations, contextPerRegistration);
    }

    public SandboxLimits withRequestBudget(Duration value) {
        return new SandboxLimits(perCallTimeout, value, statementLimit, maxSourceLength,
                maxAllocatedBytesPerCall, maxConcurrentEvaluations, contextPerRegistration);
    }

    public SandboxLimits withStatementLimit(long value) {
        return new SandboxLimits(perCallTimeout, requestBudget, value, maxSourceLength,
                maxAllocatedBytesPerCall, maxConcurrentEvaluations, contextPerRegistration);
    }

    public SandboxLimits withMaxSourceLength(int value) {
        return new SandboxLimits(perCallTimeout, requestBudget, statementLimit, value,
                maxAllocatedBytesPerCall, maxConcurrentEvaluations, contextPerRegistration);
    }

    public SandboxLimits withMaxAllocatedBytesPerCall(long value) {
        return new SandboxLimits(perCallTimeout, requestBudget, statementLimit, maxSourceLength,
                value, maxConcurrentEvaluations, contextPerRegistration);
    }

    public SandboxLimits withMaxConcurrentEvaluations(int value) {
        return new SandboxLimits(perCallTimeout, requestBudget, statementLimit, maxSourceLength,
                maxAllocatedBytesPerCall, value, contextPerRegistration);
    }

    public SandboxLimits withContextPerRegistration(boolean value) {
        return new SandboxLimits(perCallTimeout, requestBudget, statementLimit, maxSourceLength,
                maxAllocatedBytesPerCall, maxConcurrentEvaluations, value);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
