package dev.switchboard.problem;

import java.util.List;

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
