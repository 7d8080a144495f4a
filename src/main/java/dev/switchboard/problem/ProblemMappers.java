package dev.switchboard.problem;

import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.quarkus.logging.Log;

/**
 * The one place where exceptions of JAX-RS resources become answers: problem+json for the API, the face's
 * {@link ProblemPage} for resources that answer in HTML. Anything unexpected is logged with where it happened and
 * answered with a generic 500 that names nothing internal.
 */
public class ProblemMappers {

    private final List<ProblemPage> pages;

    public ProblemMappers(Instance<ProblemPage> pages) {
        this.pages = pages.stream().toList();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, SimpleResourceInfo resource) {
        return answer(resource, e.problem(), e.retryAfterSeconds());
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, SimpleResourceInfo resource) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> Problem.FieldError.of(fieldName(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        return answer(resource, ProblemException.invalid(errors).problem(), 0);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            Log.error("Request failed", e);
            return ProblemWriter.response(Problem.of(status, "internal_error", "Internal Server Error",
                    "Something went wrong"), 0);
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return ProblemWriter.response(Problem.of(status, code, title, e.getMessage() == null ? title : e.getMessage()), 0);
    }

    /** The catch-all: a bug or an outage below us. The log says what and where; the client learns nothing of it. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, SimpleResourceInfo resource) {
        Class<?> resourceClass = resource == null ? null : resource.getResourceClass();
        Log.errorf(e, "Unexpected failure in %s.%s", resourceClass == null ? "?" : resourceClass.getName(),
                resource == null ? "?" : resource.getMethodName());
        return answer(resource, Problem.internal(), 0);
    }

    private Response answer(SimpleResourceInfo resource, Problem problem, long retryAfterSeconds) {
        Class<?> resourceClass = resource == null ? null : resource.getResourceClass();
        if (resourceClass != null) {
            for (ProblemPage page : pages) {
                if (page.answersFor(resourceClass)) {
                    return page.render(problem);
                }
            }
        }
        return ProblemWriter.response(problem, retryAfterSeconds);
    }

    private static String fieldName(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "create.request.name" -> "name": clients know their own field names, not our method names.
        int dot = path.lastIndexOf('.');
        return dot >= 0 ? path.substring(dot + 1) : path;
    }
}
