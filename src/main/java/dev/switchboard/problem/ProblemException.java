package dev.switchboard.problem;

import java.util.List;

import dev.switchboard.result.Refusal;

/**
 * A failure the client caused or must know about, thrown by a resource (or a service, for invalid input); the one
 * mapper ({@link ProblemMappers}) answers it as problem+json, or as the face's error page.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final long retryAfterSeconds;

    public ProblemException(Problem problem) {
        this(problem, 0);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when positive */
    public ProblemException(Problem problem, long retryAfterSeconds) {
        super(problem.code() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Problem problem() {
        return problem;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** What a service's refusal is over HTTP: 404, 422 (with the invalid fields, if any) or 409. */
    public static ProblemException of(Refusal refusal) {
        return switch (refusal.kind()) {
            case NOT_FOUND -> notFound(refusal.code(), refusal.detail());
            case INVALID -> refusal.fields().isEmpty()
                    ? new ProblemException(Problem.of(422, refusal.code(), "Unprocessable Content", refusal.detail()))
                    : new ProblemException(new Problem("about:blank", "Unprocessable Content", 422, refusal.detail(),
                            refusal.code(), refusal.fields().stream()
                                    .map(f -> new Problem.FieldError(f.field(), f.message(), f.position())).toList()));
            case CONFLICT -> new ProblemException(Problem.of(409, refusal.code(), "Conflict", refusal.detail()));
        };
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(Problem.of(404, code, "Not Found", detail));
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        return new ProblemException(new Problem("about:blank", "Unprocessable Content", 422,
                "The request has invalid fields", "invalid_input", errors));
    }

    public static ProblemException invalid(Problem.FieldError error) {
        return invalid(List.of(error));
    }

    public static ProblemException rateLimited(String detail, long retryAfterSeconds) {
        return new ProblemException(Problem.rateLimited(detail), retryAfterSeconds);
    }

    public static ProblemException unavailable(String detail, long retryAfterSeconds) {
        return new ProblemException(Problem.unavailable(detail), retryAfterSeconds);
    }
}
