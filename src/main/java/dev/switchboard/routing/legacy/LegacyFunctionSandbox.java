package dev.switchboard.routing.legacy;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs Homey "legacy cloud functions" — {@code function (homey_data, webhook_data) { <body> }} —
 * once per registration and reports which registrations match (the function returned exactly
 * {@code true}). Thread-safe; create one per application and close it on shutdown. Blocking: call
 * it off the event loop.
 *
 * <h2>Sandbox</h2>
 * GraalVM Polyglot JavaScript (community) under {@code SandboxPolicy.CONSTRAINED} with
 * {@code HostAccess.CONSTRAINED}, one shared {@code Engine} (parsed code is cached across
 * contexts), no IO, threads, processes, native access, environment, polyglot or host class
 * lookup. Extra options, all of which CONSTRAINED accepts: {@code js.load}, {@code js.print},
 * {@code js.console}, {@code js.graal-builtin} off (these shell globals — {@code load},
 * {@code loadWithNewGlobal}, {@code print}, {@code printErr}, {@code console}, {@code Graal} — are
 * otherwise present even under CONSTRAINED), {@code js.allow-eval=false} in runtime contexts (so
 * {@code eval}, {@code Function(...)} and {@code this.constructor.constructor(...)} throw
 * {@code EvalError}), UTC time zone and {@code en-US} locale for reproducibility. {@code Java},
 * {@code Polyglot}, {@code quit}, {@code read}, {@code readbuffer}, {@code setTimeout} and
 * {@code WebAssembly} do not exist under these settings. (Note: configuring
 * {@code allowHostClassLookup}, even with a deny-all predicate, brings back a {@code Java}
 * global; it is deliberately left unset.) {@code Atomics.wait} throws
 * {@code TypeError: Unsupported operation} (the agent may not block).
 *
 * <h2>What CONSTRAINED does not allow</h2>
 * Every <em>experimental</em> js option is rejected under CONSTRAINED even with
 * {@code allowExperimentalOptions}, including the ones that would have bounded memory:
 * {@code js.string-length-limit}, {@code js.max-typed-array-length}; likewise
 * {@code js.shared-array-buffer}, {@code js.atomics}, {@code js.intl-402} (stable, but not
 * allowed), {@code js.stack-trace-limit}, {@code js.disable-eval}. The {@code sandbox.*} options
 * ({@code MaxHeapMemory}, {@code MaxCPUTime}, ...) exist only in Oracle GraalVM. So the limits are
 * ours:
 * <ul>
 * <li>Time: a watchdog cancels a call ({@code context.close(true)}) at its per-call deadline or
 * at the end of the request budget, whichever comes first (checked every 5 ms at most, so up to
 * that much late). Loops, regex backtracking,
 * {@code Array.prototype.fill} on huge arrays and endless promise jobs are all cancellable.</li>
 * <li>Statements: {@code ResourceLimits.statementLimit}, reset before every call.</li>
 * <li>Memory: the watchdog samples the calling thread's allocation counter every 5 ms (at most) and
 * cancels a call that allocated more than {@code maxAllocatedBytesPerCall}. A single builtin
 * that allocates at once ({@code 'x'.repeat(2**29)}, {@code new ArrayBuffer(2**30)}, flattening
 * a 2^29-char rope) cannot be interrupted: it runs to completion (up to ~2 GiB for a 2^30-char
 * UTF-16 string; longer strings throw {@code RangeError: Invalid string length}) and the call
 * is cancelled right after. If the heap cannot hold it, the host's {@code OutOfMemoryError}
 * surfaces as a resource-exhausted {@code PolyglotException} in the evaluating thread and is
 * reported as {@link LegacyOutcome#ALLOCATION_LIMIT}; other threads allocating at that instant can
 * also see the OOM, which is why {@code maxConcurrentEvaluations} bounds how many run at once.</li>
 * <li>Stack: deep recursion ends in a JS {@code RangeError: Maximum call stack size exceeded}
 * (reported as {@code THREW}); the host thread survives.</li>
 * </ul>
 * An uninterruptible builtin also means a killed call may return to the caller later than its
 * deadline (seconds for the allocations above); the request budget is a target, not a hard
 * wall-clock guarantee.
 *
 * <h2>Isolation</h2>
 * Nothing crosses between host and guest except strings in and a boolean or short message out;
 * both inputs are parsed with {@code JSON.parse} inside the sandbox. A context is never shared
 * between {@code evaluate} calls, so nothing reaches another webhook. Within one call the
 * registrations share a context unless {@link SandboxLimits#contextPerRegistration()}: inputs
 * are re-parsed per call (mutating {@code webhook_data} does not leak) and {@code globalThis} is
 * frozen (an accidental sloppy-mode global such as {@code matched = true} is never created, so a
 * later registration cannot read it). A function can still deliberately change shared builtins
 * (say {@code Array.prototype}) for the later registrations of the same request; it is the same
 * author's function over the same webhook body and the result is only a boolean, so this is
 * accepted. Measured on a 2-core dev machine, interpreter only, with the Homey docs example and
 * 1,000 registrations: a shared context costs about 15–50 µs per registration (both JSON parses
 * included), a context per registration about 0.4–0.6 ms, and deep-freezing all ~600 intrinsic
 * objects would cost about 7 ms per context — hence freezing only {@code globalThis}.
 *
 * <h2>Runtime notes</h2>
 * On a stock JDK the Truffle fallback runtime interprets (no JIT); that is enough for one-line
 * predicates. The first use of a builtin in the JVM is slow (cold {@code new Date().getHours()}
 * took 160 ms, cold {@code toLocaleString()} 560 ms), so the constructor warms the engine up with
 * the builtins predicate-style functions use (a second or two; see the package-private WarmUp).
 * A function using a builtin the warm-up missed can still time out once.
 */
public final class LegacyFunctionSandbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LegacyFunctionSandbox.class);

    private final SandboxLimits limits;
    private final SandboxRuntime runtime;
    private final Watchdog watchdog;
    private final FunctionCompiler compiler;
    private final Semaphore slots;
    private volatile boolean closed;

    public LegacyFunctionSandbox() {
        this(SandboxLimits.defaults());
    }

    public LegacyFunctionSandbox(SandboxLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.runtime = new SandboxRuntime(limits.statementLimit());
        this.watchdog = new Watchdog(checkInterval(limits.perCallTimeout()), limits.maxAllocatedBytesPerCall());
        this.compiler = new FunctionCompiler(runtime, limits.maxSourceLength());
        this.slots = new Semaphore(limits.maxConcurrentEvaluations(), true);
        warmUp();
    }

    public SandboxLimits limits() {
        return limits;
    }

    /**
     * Checks that {@code functionBody} compiles as the body of
     * {@code function (homey_data, webhook_data) { ... }} without running it.
     *
     * @return empty if it does; otherwise a message such as
     *     {@code "SyntaxError at line 2, column 7: Expected ) but found {"} (lines of the body, 1-based)
     */
    public Optional<String> validate(String functionBody) {
        requireOpen();
        Objects.requireNonNull(functionBody, "functionBody");
        return Optional.ofNullable(compiler.compile(functionBody).error());
    }

    /**
     * Runs the function once per registration.
     *
     * @param functionBody the legacy function's body
     * @param webhookDataJson the request body as JSON text: {@code {"device_id":"x"}}, or
     *     {@code "\"hello\""} for a body that was plain text
     * @param registrationDataJson each registration's {@code data} as JSON text ({@code "null"} if none)
     * @return one outcome per registration, in order, and the elapsed time
     * @throws IllegalArgumentException if an input is not a single JSON value
     */
    public LegacyEvaluation evaluate(String functionBody, String webhookDataJson, List<String> registrationDataJson) {
        Objects.requireNonNull(registrationDataJson, "registrationDataJson");
        for (String r : registrationDataJson) {
            JsonText.requireSingleValue(r, "registration data");
        }
        return evaluateWritten(functionBody, webhookDataJson, registrationDataJson);
    }

    /**
     * {@link #evaluate} for registration data that a JSON writer produced from a parsed tree (the routing index
     * keeps each registration's text, written once): it is not parsed on the host again for every request, only by
     * {@code JSON.parse} in the sandbox, as every input is.
     */
    public LegacyEvaluation evaluateWritten(String functionBody, String webhookDataJson,
            List<String> registrationDataJson) {
        long start = System.nanoTime();
        requireOpen();
        Objects.requireNonNull(functionBody, "functionBody");
        Objects.requireNonNull(registrationDataJson, "registrationDataJson");
        JsonText.requireSingleValue(webhookDataJson, "webhook data");
        if (registrationDataJson.isEmpty()) {
            return new LegacyEvaluation(List.of(), elapsedSince(start));
        }
        long budgetDeadline = start + limits.requestBudget().toNanos();

        FunctionCompiler.Compiled compiled = compiler.compile(functionBody);
        if (!compiled.valid()) {
            LegacyOutcome invalid = LegacyOutcome.invalidFunction(compiled.error());
            LOG.debugf("legacy function rejected: %s", compiled.error());
            return new LegacyEvaluation(
                    Collections.nCopies(registrationDataJson.size(), invalid), elapsedSince(start));
        }

        List<LegacyOutcome> outcomes;
        if (!acquireSlot(budgetDeadline)) {
            outcomes = Collections.nCopies(registrationDataJson.size(), LegacyOutcome.SKIPPED_BUDGET_EXHAUSTED);
        } else {
            try {
                outcomes = new RequestRun(runtime, watchdog, compiled.source(), limits.perCallTimeout().toNanos(),
                        budgetDeadline, limits.contextPerRegistration()).run(webhookDataJson, registrationDataJson);
            } finally {
                slots.release();
            }
        }
        LegacyEvaluation evaluation = new LegacyEvaluation(outcomes, elapsedSince(start));
        logTrouble(evaluation);
        return evaluation;
    }

    /** Checks often enough that a deadline fires at most ~10% late, but not more often than every ms. */
    private static Duration checkInterval(Duration perCallTimeout) {
        long nanos = perCallTimeout.toNanos() / 10;
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(5))));
    }

    /** Visible for tests, which occupy slots to simulate load. */
    Semaphore slots() {
        return slots;
    }

    private boolean acquireSlot(long budgetDeadline) {
        try {
            return slots.tryAcquire(Math.max(0, budgetDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One line per evaluation at most, so a function that fails for 1,000 registrations logs once. */
    private static void logTrouble(LegacyEvaluation evaluation) {
        Map<LegacyOutcome.Kind, Integer> counts = evaluation.countByKind();
        boolean killed = counts.containsKey(LegacyOutcome.Kind.TIMED_OUT)
                || counts.containsKey(LegacyOutcome.Kind.STATEMENT_LIMIT)
                || counts.containsKey(LegacyOutcome.Kind.ALLOCATION_LIMIT)
                || counts.containsKey(LegacyOutcome.Kind.SKIPPED_BUDGET_EXHAUSTED);
        boolean threw = counts.containsKey(LegacyOutcome.Kind.THREW);
        if (!killed && !threw) {
            return;
        }
        String firstError = evaluation.outcomes().stream()
                .filter(o -> o.kind() == LegacyOutcome.Kind.THREW)
                .map(LegacyOutcome::message)
                .findFirst()
                .orElse("-");
        LOG.logf(killed ? Logger.Level.WARN : Logger.Level.INFO,
                "legacy function stopped or threw for some registrations: %s in %d ms (first error: %s)",
                counts, evaluation.elapsed().toMillis(), firstError);
    }

    private void warmUp() {
        long start = System.nanoTime();
        WarmUp.run(runtime, watchdog, compiler);
        LOG.debugf("legacy function sandbox warmed up in %d ms", elapsedSince(start).toMillis());
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("legacy function sandbox is closed");
        }
    }

    /** Cancels evaluations still running (they end as THREW) and frees the engine. */
    @Override
    public void close() {
        closed = true;
        watchdog.close();
        runtime.close();
    }
}
