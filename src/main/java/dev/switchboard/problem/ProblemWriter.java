package dev.switchboard.problem;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.http.HttpServerResponse;

/**
 * The one place a problem becomes an HTTP answer: status, {@code application/problem+json}, {@code Retry-After}.
 * JAX-RS resources throw {@link ProblemException} and reach it through {@link ProblemMappers}; the sender endpoint,
 * a plain Vert.x route, writes through {@link #write}.
 */
@Singleton
public class ProblemWriter {

    private final ObjectMapper mapper;

    public ProblemWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The JAX-RS answer; {@code retryAfterSeconds} is sent when positive. */
    public static Response response(Problem problem, long retryAfterSeconds) {
        Response.ResponseBuilder answer = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (retryAfterSeconds > 0) {
            answer.header("Retry-After", retryAfterSeconds);
        }
        return answer.build();
    }

    /** Ends a Vert.x response with the problem, unless it has ended; {@code retryAfterSeconds} sent when positive. */
    public void write(HttpServerResponse response, Problem problem, long retryAfterSeconds) {
        if (response.ended()) {
            return;
        }
        if (retryAfterSeconds > 0) {
            response.putHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        response.setStatusCode(problem.status());
        try {
            response.putHeader("Content-Type", Problem.MEDIA_TYPE).end(mapper.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}
