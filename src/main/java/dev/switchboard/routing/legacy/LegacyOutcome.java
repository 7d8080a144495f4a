package dev.switchboard.routing.legacy;

import java.util.Objects;

/**
 * What a legacy function did for one registration. Only {@link #MATCHED} routes the webhook;
 * everything else counts as no match.
 *
 * <p>Java 17 has no pattern matching in {@code switch}, so callers switch on {@link #kind()}
 * and read the message of {@link Threw} / {@link InvalidFunction} via {@link #message()}.
 */
public sealed interface LegacyOutcome {

    enum Kind {
        MATCHED,
        NOT_MATCHED,
        THREW,
        TIMED_OUT,
        STATEMENT_LIMIT,
        ALLOCATION_LIMIT,
        SKIPPED_BUDGET_EXHAUSTED,
        INVALID_FUNCTION
    }

    /** The function returned exactly {@code true}. */
    LegacyOutcome MATCHED = new Matched();
    /** The function returned anything other than {@code true} (truthy values do not match). */
    LegacyOutcome NOT_MATCHED = new NotMatched();
    /** The call ran past its per-call timeout (or past the end of the request budget) and was killed. */
    LegacyOutcome TIMED_OUT = new TimedOut();
    /** The call executed more statements than allowed. */
    LegacyOutcome STATEMENT_LIMIT = new StatementLimit();
    /** The call allocated more than allowed, or the host ran out of heap while it ran. */
    LegacyOutcome ALLOCATION_LIMIT = new AllocationLimit();
    /** The request budget ran out before this registration's turn; the function never ran for it. */
    LegacyOutcome SKIPPED_BUDGET_EXHAUSTED = new SkippedBudgetExhausted();

    static LegacyOutcome threw(String message) {
        return new Threw(message);
    }

    static LegacyOutcome invalidFunction(String message) {
        return new InvalidFunction(message);
    }

    Kind kind();

    default boolean matched() {
        return kind() == Kind.MATCHED;
    }

    /** The error text of {@link Threw} and {@link InvalidFunction}; empty for the others. */
    default String message() {
        return "";
    }

    record Matched() implements LegacyOutcome {
        @Override
        public Kind kind() {
            return Kind.MATCHED;
        }
    }

    record NotMatched() implements LegacyOutcome {
        @Override
        public Kind kind() {
            return Kind.NOT_MATCHED;
        }
    }

    /** The function threw; {@code message} is e.g. {@code "TypeError: Cannot read property 'x' of undefined"}. */
    record Threw(String message) implements LegacyOutcome {
        public Threw {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Kind kind() {
            return Kind.THREW;
        }
    }

    record TimedOut() implements LegacyOutcome {
        @Override
        public Kind kind() {
            return Kind.TIMED_OUT;
        }
    }

    record StatementLimit() implements LegacyOutcome {
        @Override
        public Kind kind() {
            return Kind.STATEMENT_LIMIT;
        }
    }

    record AllocationLimit() implements LegacyOutcome {
        @Override
        public Kind kind() {
            return Kind.ALLOCATION_LIMIT;
        }
    }

    record SkippedBudgetExhausted() implements LegacyOutcome {
        @Override
        public Kind kind() {
            return Kind.SKIPPED_BUDGET_EXHAUSTED;
        }
    }

    /** The body does not compile as a function body (or is too long); it never ran. */
    record InvalidFunction(String message) implements LegacyOutcome {
        public InvalidFunction {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public Kind kind() {
            return Kind.INVALID_FUNCTION;
        }
    }
}
