package dev.switchboard.result;

import java.util.Optional;
import java.util.function.Function;

/**
 * What a service's use case came to: its value, or the {@link Refusal} that says why not. Like {@link Optional}, for
 * answers where "not done" has more than one reason.
 */
public final class Result<T> {

    private static final Result<Void> DONE = new Result<>(null, null);

    private final T value;
    private final Refusal refusal;

    private Result(T value, Refusal refusal) {
        this.value = value;
        this.refusal = refusal;
    }

    public static <T> Result<T> of(T value) {
        return new Result<>(value, null);
    }

    /** Done, with nothing to answer. */
    public static Result<Void> done() {
        return DONE;
    }

    public static <T> Result<T> refused(Refusal refusal) {
        return new Result<>(null, refusal);
    }

    public boolean isRefused() {
        return refusal != null;
    }

    public Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The value, or what {@code whenRefused} makes of the refusal, thrown. */
    public <X extends RuntimeException> T orElseThrow(Function<Refusal, X> whenRefused) {
        if (refusal != null) {
            throw whenRefused.apply(refusal);
        }
        return value;
    }

    /** This result's value passed through {@code next}, or this refusal. */
    public <U> Result<U> then(Function<T, Result<U>> next) {
        return refusal != null ? refused(refusal) : next.apply(value);
    }
}
