package dev.switchboard.homey;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.switchboard.problem.ProblemException;
import dev.switchboard.ratelimit.RateLimiter;
import io.vertx.core.http.HttpServerRequest;

/** {@code POST /api/v1/homeys}: a Homey enrolls without a login and gets its credentials once. */
@Path("/api/v1/homeys")
@Tag(name = "Homeys")
public class HomeyEnrollmentResource {

    private final HomeyService homeys;
    private final RateLimiter perClient;

    public HomeyEnrollmentResource(HomeyService homeys, HomeyConfig config) {
        this.homeys = homeys;
        double perMinute = config.enrollmentsPerMinute();
        this.perClient = new RateLimiter(perMinute / 60.0, perMinute, 100_000);
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response enroll(HttpServerRequest request) {
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        long wait = perClient.tryAcquire(client, System.nanoTime());
        if (wait > 0) {
            throw ProblemException.rateLimited("Too many enrollments from this address; try again later",
                    RateLimiter.retryAfterSeconds(wait));
        }
        return Response.status(201).entity(homeys.enroll(null, null)).build();
    }
}
