package dev.switchboard.routing.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a benchmark, a rough figure for the report: cost per registration of the Homey docs example
 * with 1,000 registrations (shared context and context-per-registration modes), and the cost of
 * creating one sandbox context. Prints lines starting with {@code [legacy-fn cost]}. Run with
 * {@code ./mvnw -Pbench test -Dtest=LegacyFunctionCostBenchmark -Dbenchmark=true}.
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class LegacyFunctionCostBenchmark {

    private static final int REGISTRATIONS = 1_000;
    private static final int ROUNDS = 12;

    @Test
    void printsCostPerCall() {
        List<String> registrations = new ArrayList<>();
        for (int i = 0; i < REGISTRATIONS; i++) {
            registrations.add("{\"deviceId\":\"device-" + i + "\",\"name\":\"Lamp " + i + "\"}");
        }
        String webhook = "{\"device_id\":\"device-7\",\"event\":\"button\",\"payload\":{\"pressed\":true,\"battery\":87}}";
        SandboxLimits generous = SandboxLimits.defaults().withRequestBudget(Duration.ofSeconds(30));

        measure("shared context", generous, webhook, registrations);
        measure("context per registration", generous.withContextPerRegistration(true), webhook, registrations);
        measureContextCreation(generous);
    }

    private static void measure(String mode, SandboxLimits limits, String webhook, List<String> registrations) {
        try (LegacyFunctionSandbox sandbox = new LegacyFunctionSandbox(limits)) {
            long[] perRegistrationNanos = new long[ROUNDS];
            LegacyEvaluation last = null;
            for (int round = 0; round < ROUNDS; round++) {
                last = sandbox.evaluate(LegacyFunctionSandboxTest.HOMEY_EXAMPLE, webhook, registrations);
                perRegistrationNanos[round] = last.elapsed().toNanos() / registrations.size();
            }
            print(mode + ", per registration (1,000 per request)", perRegistrationNanos);
            assertEquals(List.of(7), last.matchedIndexes());
        }
    }

    /** Context creation plus defining the function and the bootstrap in it, then closing it. */
    private static void measureContextCreation(SandboxLimits limits) {
        SandboxRuntime runtime = new SandboxRuntime(limits.statementLimit());
        Watchdog watchdog = new Watchdog(Duration.ofMillis(5), limits.maxAllocatedBytesPerCall());
        FunctionCompiler compiler = new FunctionCompiler(runtime, limits.maxSourceLength());
        try (runtime; watchdog) {
            WarmUp.run(runtime, watchdog, compiler);
            FunctionCompiler.Compiled fn = compiler.compile(LegacyFunctionSandboxTest.HOMEY_EXAMPLE);
            int perRound = 200;
            long[] nanos = new long[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < perRound; i++) {
                    SandboxSession.open(runtime, watchdog, fn.source(), System.nanoTime() + TimeUnit.SECONDS.toNanos(10))
                            .close();
                }
                nanos[round] = (System.nanoTime() - start) / perRound;
            }
            print("context creation (open + define + close)", nanos);
        }
    }

    private static void print(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("[legacy-fn cost] %s: first %.1f us, median %.1f us, best %.1f us over %d rounds%n",
                what, nanos[0] / 1e3, sorted[sorted.length / 2] / 1e3, sorted[0] / 1e3, nanos.length);
    }
}
