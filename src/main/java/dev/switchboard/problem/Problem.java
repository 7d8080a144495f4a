package dev.switchboard.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details with a stable machine-readable {@code code}, the one error body of the JSON API.
 * {@code errors} lists field problems for 422 answers.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("about:blank", title, status, detail, code, List.of());
    }

    public static Problem rateLimited(String detail) {
        return of(429, "rate_limited", "Too Many Requests", detail);
    }

    public static Problem unavailable(String detail) {
        return of(503, "unavailable", "Service Unavailable", detail);
    }

    /** What a client hears when something failed that it could not cause: nothing internal. */
    public static Problem internal() {
        return of(500, "internal_error", "Internal Server Error", "Something went wrong");
    }

    /** One invalid input field; {@code position} is the 0-based character offset of the error, when known. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message, Integer position) {
        public static FieldError of(String field, String message) {
            return new FieldError(field, message, null);
        }
    }
}
