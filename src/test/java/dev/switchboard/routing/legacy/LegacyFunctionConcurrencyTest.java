package dev.switchboard.routing.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LegacyFunctionConcurrencyTest {

    @Test
    void manyThreadsEvaluateAtOnceWithoutCrossTalk() throws Exception {
        int threads = 8;
        int rounds = 40;
        // More slots than cores so threads really overlap inside the engine, plus one hostile
        // thread so kills happen while others run.
        SandboxLimits limits = SandboxLimits.defaults()
                .withMaxConcurrentEvaluations(threads + 1)
                .withRequestBudget(Duration.ofSeconds(5))
                .withPerCallTimeout(Duration.ofMillis(500));
        try (LegacyFunctionSandbox sandbox = new LegacyFunctionSandbox(limits)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String mine = "dev-" + t;
                    futures.add(pool.submit(() -> {
                        for (int r = 0; r < rounds; r++) {
                            // Each thread leaves its own mark; another thread's mark must never be seen.
                            LegacyEvaluation e = sandbox.evaluate(
                                    "if (globalThis.owner === undefined) { try { globalThis.owner = webhook_data.device_id; } catch (e) {} }\n"
                                            + "Object.prototype.owner = webhook_data.device_id;\n"
                                            + "return homey_data.deviceId === webhook_data.device_id && ({}).owner === webhook_data.device_id;",
                                    "{\"device_id\":\"" + mine + "\"}",
                                    List.of("{\"deviceId\":\"" + mine + "\"}", "{\"deviceId\":\"other\"}", "{\"deviceId\":\"" + mine + "\"}"));
                            assertEquals(List.of(LegacyOutcome.MATCHED, LegacyOutcome.NOT_MATCHED, LegacyOutcome.MATCHED),
                                    e.outcomes(), "thread " + mine + " round " + r);
                        }
                        return null;
                    }));
                }
                futures.add(pool.submit(() -> {
                    for (int r = 0; r < 5; r++) {
                        LegacyEvaluation e = sandbox.evaluate("while (true) {}", "{}", List.of("{}"));
                        assertTrue(e.outcome(0).kind() == LegacyOutcome.Kind.TIMED_OUT
                                || e.outcome(0).kind() == LegacyOutcome.Kind.STATEMENT_LIMIT, e.toString());
                    }
                    return null;
                }));
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                    for (Future<?> f : futures) {
                        f.get();
                    }
                });
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void callersBeyondTheConcurrencyLimitWaitOutOfTheirBudget() throws Exception {
        SandboxLimits limits = SandboxLimits.defaults()
                .withMaxConcurrentEvaluations(1)
                .withRequestBudget(Duration.ofMillis(200));
        try (LegacyFunctionSandbox sandbox = new LegacyFunctionSandbox(limits)) {
            // Occupy the only slot, as a long evaluation on another thread would.
            sandbox.slots().acquire();
            LegacyEvaluation waiting;
            try {
                waiting = sandbox.evaluate("return true;", "{}", List.of("{}", "{}"));
            } finally {
                sandbox.slots().release();
            }

            assertEquals(List.of(LegacyOutcome.SKIPPED_BUDGET_EXHAUSTED, LegacyOutcome.SKIPPED_BUDGET_EXHAUSTED),
                    waiting.outcomes());
            assertTrue(waiting.elapsed().compareTo(Duration.ofMillis(150)) >= 0, waiting.elapsed().toString());
            assertEquals(List.of(LegacyOutcome.MATCHED), sandbox.evaluate("return true;", "{}", List.of("{}")).outcomes());
        }
    }
}
