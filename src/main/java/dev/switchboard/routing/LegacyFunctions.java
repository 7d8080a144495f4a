package dev.switchboard.routing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.routing.legacy.LegacyEvaluation;
import dev.switchboard.routing.legacy.LegacyFunctionSandbox;
import dev.switchboard.routing.legacy.SandboxLimits;
import dev.switchboard.webhook.LegacyFunctionCheck;
import io.quarkus.runtime.Startup;

/**
 * The app's one legacy-function sandbox: checks functions on import and runs them while routing, on its own bounded
 * executor ({@code maxConcurrentEvaluations} threads, {@code maxQueuedEvaluations} waiting), so a flood of requests
 * for legacy webhooks cannot take the worker pool that the portal, the API and the sockets need. Made at startup:
 * warming the sandbox up takes seconds, which must not fall on the event loop of the first sender request.
 */
@Startup
@ApplicationScoped
public class LegacyFunctions implements LegacyFunctionCheck {

    /** The executor's queue is full: the caller should answer 503 with Retry-After. */
    public static final class Saturated extends RejectedExecutionException {
        Saturated() {
            super("Legacy functions are saturated", null);
        }
    }

    private final LegacyFunctionSandbox sandbox;
    private final ThreadPoolExecutor executor;

    public LegacyFunctions(LegacyFunctionConfig config) {
        this.sandbox = new LegacyFunctionSandbox(new SandboxLimits(config.perCallTimeout(), config.requestBudget(),
                config.statementLimit(), SandboxLimits.DEFAULT_MAX_SOURCE_LENGTH, config.maxAllocatedBytesPerCall(),
                config.maxConcurrentEvaluations(), false));
        int threads = config.maxConcurrentEvaluations();
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, config.maxQueuedEvaluations())), task -> {
                    Thread thread = new Thread(task, "legacy-function-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, (task, pool) -> {
                    throw new Saturated();
                });
    }

    /** True while no more work can be queued: a request that needs a function would be refused. */
    public boolean saturated() {
        return executor.getQueue().remainingCapacity() == 0;
    }

    /**
     * Runs {@code work} (which evaluates a function) on the functions' executor. The future fails with
     * {@link Saturated} at once when the queue is full.
     */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (Saturated e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Optional<String> syntaxError(String functionBody) {
        return sandbox.validate(functionBody);
    }

    /**
     * Blocking: call it on the executor ({@link #submit}). {@code registrationDataJson} are texts the index wrote
     * from parsed trees, so they are not checked again on every call.
     */
    public LegacyEvaluation evaluate(String functionBody, String webhookDataJson, List<String> registrationDataJson) {
        return sandbox.evaluateWritten(functionBody, webhookDataJson, registrationDataJson);
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
        sandbox.close();
    }
}
