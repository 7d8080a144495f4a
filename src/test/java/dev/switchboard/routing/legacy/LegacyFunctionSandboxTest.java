package dev.switchboard.routing.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LegacyFunctionSandboxTest {

    static final String HOMEY_EXAMPLE = "return homey_data.deviceId === webhook_data.device_id;";

    static LegacyFunctionSandbox sandbox;

    @BeforeAll
    static void start() {
        // These tests are about semantics; a generous time limit keeps a cold builtin (first use
        // in the interpreter can exceed 50 ms) from making them flaky. Limits are tested elsewhere.
        sandbox = new LegacyFunctionSandbox(SandboxLimits.defaults()
                .withPerCallTimeout(java.time.Duration.ofSeconds(3))
                .withRequestBudget(java.time.Duration.ofSeconds(5)));
    }

    @Test
    void homeyDocsExampleMatchesWithDefaultLimits() {
        try (LegacyFunctionSandbox defaults = new LegacyFunctionSandbox()) {
            LegacyEvaluation result = defaults.evaluate(HOMEY_EXAMPLE, "{\"device_id\":\"abc\"}",
                    List.of("{\"deviceId\":\"abc\"}", "{\"deviceId\":\"xyz\"}"));

            assertEquals(List.of(LegacyOutcome.MATCHED, LegacyOutcome.NOT_MATCHED), result.outcomes());
        }
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void homeyDocsExampleMatchesOnlyTheEqualDevice() {
        LegacyEvaluation result = sandbox.evaluate(HOMEY_EXAMPLE, "{\"device_id\":\"abc\"}",
                List.of("{\"deviceId\":\"abc\"}", "{\"deviceId\":\"xyz\"}"));

        assertEquals(List.of(LegacyOutcome.MATCHED, LegacyOutcome.NOT_MATCHED), result.outcomes());
        assertEquals(List.of(0), result.matchedIndexes());
        assertFalse(result.elapsed().isNegative());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "return 1;",
        "return 'true';",
        "return {};",
        "return [true];",
        "return new Boolean(true);",
        "return undefined;",
        "return null;",
        "return false;",
        "",
        "homey_data.deviceId === webhook_data.device_id;",
        "return { valueOf() { return true; } };",
        "return (async () => true)();",
    })
    void onlyStrictTrueMatches(String body) {
        LegacyEvaluation result = sandbox.evaluate(body, "{\"device_id\":\"abc\"}", List.of("{\"deviceId\":\"abc\"}"));

        assertEquals(List.of(LegacyOutcome.NOT_MATCHED), result.outcomes());
    }

    @Test
    void webhookDataMayBeAPlainValue() {
        LegacyEvaluation text = sandbox.evaluate("return webhook_data === 'hello';", "\"hello\"", List.of("null"));
        LegacyEvaluation array = sandbox.evaluate(
                "return Array.isArray(webhook_data) && webhook_data[1] === homey_data;", "[1,2]", List.of("2"));

        assertEquals(List.of(LegacyOutcome.MATCHED), text.outcomes());
        assertEquals(List.of(LegacyOutcome.MATCHED), array.outcomes());
    }

    @Test
    void thrownErrorsCountAsNoMatchWithTheirMessage() {
        LegacyEvaluation result = sandbox.evaluate(
                "if (homey_data.kind === 'error') throw new Error('boom');"
                        + "if (homey_data.kind === 'string') throw 'plain';"
                        + "if (homey_data.kind === 'object') throw { toString() { return 'x'; } };"
                        + "return homey_data.missing.deep;",
                "{}",
                List.of("{\"kind\":\"error\"}", "{\"kind\":\"string\"}", "{\"kind\":\"object\"}", "{}"));

        assertEquals(LegacyOutcome.threw("Error: boom"), result.outcome(0));
        assertEquals(LegacyOutcome.threw("uncaught string: plain"), result.outcome(1));
        assertEquals(LegacyOutcome.threw("uncaught non-Error object"), result.outcome(2));
        assertEquals(LegacyOutcome.Kind.THREW, result.outcome(3).kind());
        assertTrue(result.outcome(3).message().startsWith("TypeError"), result.outcome(3).message());
    }

    @Test
    void aThrowDoesNotStopTheOtherRegistrations() {
        LegacyEvaluation result = sandbox.evaluate(
                "if (homey_data === null) throw new TypeError('no data'); return homey_data.ok;",
                "{}", List.of("{\"ok\":true}", "null", "{\"ok\":true}"));

        assertEquals(List.of(LegacyOutcome.MATCHED, LegacyOutcome.threw("TypeError: no data"), LegacyOutcome.MATCHED),
                result.outcomes());
    }

    @Test
    void hugeThrownMessagesAreClipped() {
        LegacyEvaluation result = sandbox.evaluate("throw new Error('x'.repeat(1e6));", "{}", List.of("{}"));

        assertEquals(LegacyOutcome.Kind.THREW, result.outcome(0).kind());
        assertTrue(result.outcome(0).message().length() <= SandboxSession.MAX_MESSAGE_LENGTH);
    }

    @Test
    void invalidBodyIsReportedForEveryRegistrationWithoutRunning() {
        LegacyEvaluation result = sandbox.evaluate("return (", "{}", List.of("{}", "{}"));

        assertEquals(2, result.outcomes().size());
        for (LegacyOutcome o : result.outcomes()) {
            assertEquals(LegacyOutcome.Kind.INVALID_FUNCTION, o.kind());
            assertEquals("SyntaxError at end of body: Expected an operand but found eof", o.message());
        }
    }

    @Test
    void validateAcceptsFunctionBodies() {
        assertEquals(java.util.Optional.empty(), sandbox.validate(HOMEY_EXAMPLE));
        assertEquals(java.util.Optional.empty(), sandbox.validate(""));
        assertEquals(java.util.Optional.empty(), sandbox.validate("'use strict';\nconst a = 1; // trailing comment"));
        assertEquals(java.util.Optional.empty(), sandbox.validate("function helper(x) { return x; }\nreturn helper(true);"));
    }

    @Test
    void validateReportsLineAndColumnOfSyntaxErrors() {
        assertEquals(java.util.Optional.of("SyntaxError at line 2, column 7: Expected ) but found {"),
                sandbox.validate("var x = 1;\nif (x {\n}"));
        assertTrue(sandbox.validate("await 1").orElseThrow().startsWith("SyntaxError at line 1, column 1"));
        assertTrue(sandbox.validate("/* unterminated").isPresent());
        assertTrue(sandbox.validate("'use strict'; with (a) {}").isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "}); (function () {",
        "}, globalThis.escaped = 1, function () {",
        "}\n(1)(function () {",
    })
    void validateRejectsBodiesThatCloseTheWrapper(String body) {
        assertTrue(sandbox.validate(body).isPresent());
        LegacyEvaluation result = sandbox.evaluate(body, "{}", List.of("{}"));
        assertEquals(LegacyOutcome.Kind.INVALID_FUNCTION, result.outcome(0).kind());
    }

    @Test
    void validateRejectsOverlongBodies() {
        String body = "return true;" + " ".repeat(SandboxLimits.DEFAULT_MAX_SOURCE_LENGTH);
        assertTrue(sandbox.validate(body).orElseThrow().contains("longer than"));
    }

    @Test
    void inputsMustBeSingleJsonValues() {
        assertThrows(IllegalArgumentException.class, () -> sandbox.evaluate(HOMEY_EXAMPLE, "{", List.of("{}")));
        assertThrows(IllegalArgumentException.class, () -> sandbox.evaluate(HOMEY_EXAMPLE, "hello", List.of("{}")));
        assertThrows(IllegalArgumentException.class, () -> sandbox.evaluate(HOMEY_EXAMPLE, "{}", List.of("{} {}")));
        assertThrows(IllegalArgumentException.class, () -> sandbox.evaluate(HOMEY_EXAMPLE, "{}", Collections.singletonList(null)));
    }

    @Test
    void noRegistrationsMeansNoOutcomes() {
        assertEquals(List.of(), sandbox.evaluate(HOMEY_EXAMPLE, "{}", List.of()).outcomes());
    }

    @Test
    void implicitGlobalsDoNotCarryOverToTheNextRegistration() {
        String body = "if (homey_data.first) { matched = true; }\n"
                + "return typeof matched !== 'undefined' && matched === true;";

        LegacyEvaluation result = sandbox.evaluate(body, "{}", List.of("{\"first\":true}", "{\"first\":false}"));

        assertEquals(List.of(LegacyOutcome.NOT_MATCHED, LegacyOutcome.NOT_MATCHED), result.outcomes());
    }

    @Test
    void mutatingTheInputsDoesNotAffectTheNextRegistration() {
        String body = "if (webhook_data.seen) return true; webhook_data.seen = true; return false;";

        LegacyEvaluation result = sandbox.evaluate(body, "{}", List.of("{}", "{}", "{}"));

        assertEquals(List.of(LegacyOutcome.NOT_MATCHED, LegacyOutcome.NOT_MATCHED, LegacyOutcome.NOT_MATCHED),
                result.outcomes());
    }

    @Test
    void stateNeverReachesAnotherEvaluation() {
        sandbox.evaluate("Object.prototype.polluted = true; Array.prototype.push = null; return false;", "{}", List.of("{}"));

        LegacyEvaluation next = sandbox.evaluate(
                "const a = []; a.push(1); return ({}).polluted !== true && a.length === 1;", "{}", List.of("{}"));

        assertEquals(List.of(LegacyOutcome.MATCHED), next.outcomes());
    }

    @Test
    void contextPerRegistrationIsolatesEvenDeliberateTampering() {
        try (LegacyFunctionSandbox isolated = new LegacyFunctionSandbox(
                SandboxLimits.defaults().withContextPerRegistration(true))) {
            String body = "if (homey_data.first) { Object.prototype.polluted = true; return false; }\n"
                    + "return ({}).polluted !== true;";

            LegacyEvaluation result = isolated.evaluate(body, "{}", List.of("{\"first\":true}", "{}"));

            assertEquals(List.of(LegacyOutcome.NOT_MATCHED, LegacyOutcome.MATCHED), result.outcomes());
        }
    }

    @Test
    void sharedContextLetsDeliberateTamperingReachLaterRegistrationsOfTheSameRequest() {
        // Documented trade-off of the default mode; see LegacyFunctionSandbox javadoc.
        String body = "if (homey_data.first) { Object.prototype.polluted = true; return false; }\n"
                + "return ({}).polluted !== true;";

        LegacyEvaluation result = sandbox.evaluate(body, "{}", List.of("{\"first\":true}", "{}"));

        assertEquals(List.of(LegacyOutcome.NOT_MATCHED, LegacyOutcome.NOT_MATCHED), result.outcomes());
    }

    @Test
    void timeIsUtc() {
        LegacyEvaluation result = sandbox.evaluate("return new Date(0).getHours() === 0;", "{}", List.of("{}"));

        assertEquals(List.of(LegacyOutcome.MATCHED), result.outcomes());
    }
}
