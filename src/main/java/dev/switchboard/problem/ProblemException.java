package dev.switchboard.problem;

import java.util.List;

/** Thrown by services for a failure the client caused or must know about; becomes a problem+json answer. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.code() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
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
}
