package dev.switchboard.routing.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile bodies. Each must end in a definite outcome, return within a generous bound, and leave
 * the sandbox (and the JVM) working for the next evaluation.
 */
class LegacyFunctionAttackTest {

    /** A bound on hanging, generous for a busy machine: what is asserted is the outcome, never the time taken. */
    private static final Duration DOES_NOT_HANG = Duration.ofSeconds(60);
    private static final Set<LegacyOutcome.Kind> KILLED =
            Set.of(LegacyOutcome.Kind.TIMED_OUT, LegacyOutcome.Kind.ALLOCATION_LIMIT, LegacyOutcome.Kind.STATEMENT_LIMIT);

    /** Default limits: for the attacks whose point is being stopped. */
    static LegacyFunctionSandbox sandbox;
    /**
     * Generous time limit: for attacks whose point is what happens (an error, an absent global).
     * A cold builtin can take more than 50 ms on first use in the interpreter; that must not turn
     * these into flaky timeouts on a slow CI machine.
     */
    static LegacyFunctionSandbox patient;

    @BeforeAll
    static void start() {
        sandbox = new LegacyFunctionSandbox();
        patient = new LegacyFunctionSandbox(SandboxLimits.defaults()
                .withPerCallTimeout(Duration.ofSeconds(3))
                .withRequestBudget(Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        patient.close();
    }

    @AfterEach
    void sandboxStillWorks() {
        LegacyEvaluation after = sandbox.evaluate(LegacyFunctionSandboxTest.HOMEY_EXAMPLE, "{\"device_id\":\"a\"}",
                List.of("{\"deviceId\":\"a\"}", "{\"deviceId\":\"b\"}"));
        assertEquals(List.of(LegacyOutcome.MATCHED, LegacyOutcome.NOT_MATCHED), after.outcomes());
    }

    private static LegacyOutcome runOnce(String body) {
        return runOnce(sandbox, body);
    }

    private static LegacyOutcome runPatiently(String body) {
        return runOnce(patient, body);
    }

    private static LegacyOutcome runOnce(LegacyFunctionSandbox in, String body) {
        return assertTimeoutPreemptively(DOES_NOT_HANG,
                () -> in.evaluate(body, "{\"device_id\":\"a\"}", List.of("{\"deviceId\":\"a\"}")).outcome(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "while (true) {}",
        "for (;;) { try { while (true) {} } catch (e) {} }",
        "return /^(a+)+\\1$/.test('a'.repeat(40) + 'b');", // backreference: backtracking, exponential
        "Promise.resolve().then(function f() { Promise.resolve().then(f); }); return true;",
        "return (async () => { while (true) await 0; })();",
    })
    void endlessWorkIsKilled(String body) {
        // With the defaults, 1M statements and 50 ms are about the same amount of work in the
        // interpreter, so either limit may trip first.
        LegacyOutcome outcome = runOnce(body);

        assertTrue(Set.of(LegacyOutcome.Kind.TIMED_OUT, LegacyOutcome.Kind.STATEMENT_LIMIT).contains(outcome.kind()),
                body + " -> " + outcome);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "while (true) {}",
        "return /^(a+)+\\1$/.test('a'.repeat(40) + 'b');", // backreference: backtracking, exponential
        "Promise.resolve().then(function f() { Promise.resolve().then(f); }); return true;",
    })
    void endlessWorkTimesOutWhenStatementsAreUnlimited(String body) {
        try (LegacyFunctionSandbox clockOnly = new LegacyFunctionSandbox(
                SandboxLimits.defaults().withStatementLimit(Long.MAX_VALUE / 2))) {
            LegacyEvaluation result = assertTimeoutPreemptively(DOES_NOT_HANG,
                    () -> clockOnly.evaluate(body, "{}", List.of("{}", "{}")));

            assertEquals(List.of(LegacyOutcome.TIMED_OUT, LegacyOutcome.TIMED_OUT), result.outcomes());
        }
    }

    @Test
    void deepRecursionIsAJavaScriptRangeError() {
        LegacyOutcome outcome = runPatiently("function f() { f(); } f();");

        assertEquals(LegacyOutcome.threw("RangeError: Maximum call stack size exceeded"), outcome);
    }

    @Test
    void deepRecursionWithDefaultLimitsEndsEitherWay() {
        // Unwinding ~800 interpreted frames takes 15-40 ms here, close to the 50 ms limit.
        LegacyOutcome outcome = runOnce("function f() { f(); } f();");

        assertTrue(outcome.equals(LegacyOutcome.threw("RangeError: Maximum call stack size exceeded"))
                || outcome.equals(LegacyOutcome.TIMED_OUT), outcome.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Java.type('java.lang.System').exit(1);",
        "load('/etc/passwd');",
        "loadWithNewGlobal({ script: '1' });",
        "print('hi');",
        "printErr('hi');",
        "console.log('hi');",
        "Polyglot.eval('js', '1');",
        "quit();",
        "read('/etc/passwd');",
        "readbuffer('/etc/passwd');",
        "setTimeout(() => {}, 1);",
        "Graal.versionJS;",
        "WebAssembly.Memory;",
        "require('fs');",
        "process.exit(1);",
        "Packages.java.lang.System.exit(1);",
    })
    void hostAndShellGlobalsAreAbsent(String body) {
        LegacyOutcome outcome = runPatiently(body);

        assertEquals(LegacyOutcome.Kind.THREW, outcome.kind(), body);
        assertTrue(outcome.message().startsWith("ReferenceError"), outcome.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "return this.constructor.constructor('return this')();",
        "return Function('return globalThis')();",
        "return eval('1 + 1');",
        "return (function(){}).constructor('return 1')();",
        "return (async function(){}).constructor('return 1')();",
        "return (function*(){}).constructor('yield 1')().next();",
    })
    void dynamicCodeIsDisabled(String body) {
        LegacyOutcome outcome = runPatiently(body);

        assertEquals(LegacyOutcome.Kind.THREW, outcome.kind(), body);
        assertTrue(outcome.message().startsWith("EvalError"), outcome.message());
    }

    @Test
    void atomicsWaitCannotBlock() {
        LegacyOutcome outcome = runPatiently("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return true;");

        // Had it blocked, the 3 s timeout would have fired instead.
        assertEquals(LegacyOutcome.threw("TypeError: Unsupported operation"), outcome);
    }

    @Test
    void globalThisOffersNothingFromTheHost() {
        LegacyOutcome outcome = runPatiently("const names = Object.getOwnPropertyNames(globalThis);\n"
                + "return !['Java','Polyglot','load','print','console','Graal','quit','read','setTimeout']"
                + ".some(n => names.includes(n));");

        assertEquals(LegacyOutcome.MATCHED, outcome);
    }

    @Test
    void thrownObjectsAreNotPrintedByTheHost() {
        // A non-Error is never converted to text, so its looping toString never runs ...
        assertEquals(LegacyOutcome.threw("uncaught non-Error object"),
                runPatiently("throw { get name() { while (true) {} }, toString() { while (true) {} } };"));
        assertEquals(LegacyOutcome.threw("uncaught non-Error object"),
                runPatiently("throw new Proxy({}, { get() { while (true) {} }, getPrototypeOf() { return null; } });"));
        // ... and an Error's message getter runs inside the sandbox, under the same limits.
        LegacyOutcome getter = runOnce(
                "const e = new Error('x'); Object.defineProperty(e, 'message', { get() { while (true) {} } }); throw e;");
        assertTrue(Set.of(LegacyOutcome.Kind.TIMED_OUT, LegacyOutcome.Kind.STATEMENT_LIMIT).contains(getter.kind()),
                getter.toString());
    }

    /** The JVM's default heap in surefire is 1/4 of RAM; each of these would be GBs if unchecked. */
    @ParameterizedTest
    @ValueSource(strings = {
        "return 'x'.repeat(2**29).length === 2**29;",
        "return '\\u00e9'.repeat(2**29).length === 2**29;",
        "new Array(1e9).fill(0); return true;",
        "let a = []; while (1) a.push(new Array(1e6)); return true;",
        "let a = []; while (1) a.push(new Float64Array(1e6)); return true;",
        "let a = []; for (;;) a.push('x'.repeat(1e7) + Math.random()); return true;",
        "let s = 'x'; for (let i = 0; i < 29; i++) s += s; return s.indexOf('y') === -1;",
        "return new ArrayBuffer(2**30).byteLength > 0;",
        "const m = new Map(); for (let i = 0; ; i++) m.set(i, { i }); return true;",
    })
    void hugeAllocationsAreStopped(String body) {
        LegacyOutcome outcome = runOnce(body);

        // Which limit trips first depends on timing (a 512 MiB allocation is over the allocation
        // cap as soon as it is sampled, but may finish after the 50 ms deadline): any kill is right.
        assertTrue(KILLED.contains(outcome.kind()), body + " -> " + outcome);
    }

    @Test
    void allocationCapStopsAFunctionThatIsOtherwiseWithinItsLimits() {
        try (LegacyFunctionSandbox generous = new LegacyFunctionSandbox(SandboxLimits.defaults()
                .withPerCallTimeout(Duration.ofSeconds(5))
                .withRequestBudget(Duration.ofSeconds(8))
                .withStatementLimit(Long.MAX_VALUE / 2)
                .withMaxAllocatedBytesPerCall(64L * 1024 * 1024))) {
            LegacyEvaluation result = assertTimeoutPreemptively(DOES_NOT_HANG, () -> generous.evaluate(
                    "const keep = []; for (;;) keep.push(new Float64Array(1 << 20)); return true;",
                    "{}", List.of("{}")));

            assertEquals(List.of(LegacyOutcome.ALLOCATION_LIMIT), result.outcomes());
        }
    }

    @Test
    void largeStringsBeyondTheEngineLimitAreARangeError() {
        LegacyOutcome outcome = runPatiently("let s = 'x'; while (true) s = s + s;");

        assertEquals(LegacyOutcome.threw("RangeError: Invalid string length"), outcome);
    }

    @Test
    void statementLimitStopsLoopsBeforeTheClockDoes() {
        try (LegacyFunctionSandbox strict = new LegacyFunctionSandbox(SandboxLimits.defaults()
                .withPerCallTimeout(Duration.ofSeconds(5))
                .withStatementLimit(10_000))) {
            LegacyEvaluation result = assertTimeoutPreemptively(DOES_NOT_HANG, () -> strict.evaluate(
                    "let i = 0; while (true) { i++; }", "{}", List.of("{}", "{}")));

            assertEquals(List.of(LegacyOutcome.STATEMENT_LIMIT, LegacyOutcome.STATEMENT_LIMIT), result.outcomes());
            // The limit is per call, and a fresh context takes over after the kill.
            LegacyEvaluation fine = strict.evaluate("let n = 0; for (let i = 0; i < 1000; i++) n += i; return n === 499500;",
                    "{}", List.of("{}", "{}"));
            assertEquals(List.of(LegacyOutcome.MATCHED, LegacyOutcome.MATCHED), fine.outcomes());
        }
    }

    @Test
    void killedCallsDoNotStopTheRemainingRegistrations() {
        LegacyEvaluation result = assertTimeoutPreemptively(DOES_NOT_HANG, () -> sandbox.evaluate(
                "if (homey_data.spin) { while (true) {} } return homey_data.ok === true;",
                "{}", List.of("{\"ok\":true}", "{\"spin\":true}", "{\"ok\":true}", "{\"spin\":true}", "{\"ok\":false}")));

        assertEquals(LegacyOutcome.MATCHED, result.outcome(0));
        assertTrue(KILLED.contains(result.outcome(1).kind()), result.toString());
        assertEquals(LegacyOutcome.MATCHED, result.outcome(2));
        assertTrue(KILLED.contains(result.outcome(3).kind()), result.toString());
        assertEquals(LegacyOutcome.NOT_MATCHED, result.outcome(4));
    }

    @Test
    void requestBudgetBoundsManyBusyRegistrations() {
        List<String> registrations = Collections.nCopies(100, "{}");

        LegacyEvaluation result = assertTimeoutPreemptively(DOES_NOT_HANG,
                () -> sandbox.evaluate("while (true) {}", "{}", registrations));

        var counts = result.countByKind();
        int killed = counts.getOrDefault(LegacyOutcome.Kind.TIMED_OUT, 0)
                + counts.getOrDefault(LegacyOutcome.Kind.STATEMENT_LIMIT, 0);
        int skipped = counts.getOrDefault(LegacyOutcome.Kind.SKIPPED_BUDGET_EXHAUSTED, 0);
        assertEquals(100, killed + skipped, counts.toString());
        // How many run depends on how fast this machine burns through 1M statements; that some were skipped shows
        // the request's budget, not each call's limit, ended the evaluation.
        assertTrue(skipped > 0, counts.toString());
    }

    @Test
    void requestBudgetAllowsAboutBudgetOverTimeoutCalls() {
        try (LegacyFunctionSandbox clockOnly = new LegacyFunctionSandbox(
                SandboxLimits.defaults().withStatementLimit(Long.MAX_VALUE / 2))) {
            LegacyEvaluation result = assertTimeoutPreemptively(DOES_NOT_HANG,
                    () -> clockOnly.evaluate("while (true) {}", "{}", Collections.nCopies(100, "{}")));

            var counts = result.countByKind();
            int timedOut = counts.getOrDefault(LegacyOutcome.Kind.TIMED_OUT, 0);
            int skipped = counts.getOrDefault(LegacyOutcome.Kind.SKIPPED_BUDGET_EXHAUSTED, 0);
            assertEquals(100, timedOut + skipped, counts.toString());
            // Every call takes at least 50 ms, so at most 20 fit in 1 s (plus one cut short by the budget). How few
            // fit depends on the machine's load, so the lower bound is only that the budget let some run.
            assertTrue(timedOut >= 1 && timedOut <= 21, counts.toString());
        }
    }

    @Test
    void pathologicalNestingIsASyntaxErrorNotAHostCrash() {
        String deep = "return " + "(".repeat(30_000) + "1" + ")".repeat(30_000) + ";";

        LegacyOutcome outcome = assertTimeoutPreemptively(DOES_NOT_HANG,
                () -> sandbox.evaluate(deep, "{}", List.of("{}")).outcome(0));

        assertTrue(Set.of(LegacyOutcome.Kind.INVALID_FUNCTION, LegacyOutcome.Kind.MATCHED, LegacyOutcome.Kind.NOT_MATCHED)
                .contains(outcome.kind()), outcome.toString());
    }
}
