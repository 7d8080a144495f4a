package dev.switchboard.homey.api;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.switchboard.homey.HomeyService;
import dev.switchboard.homey.TestHomey;
import dev.switchboard.homey.TestHomeyService;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.security.CurrentDeveloper;
import io.quarkus.security.Authenticated;

/**
 * A developer's test Homeys: real enrollments that the portal's simulator (or a script) connects to
 * {@code /homey/v1/socket} with. Someone else's test Homey, or a real Homey, is a 404.
 */
@Path("/api/v1/test-homeys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Test Homeys")
public class TestHomeyResource {

    private final TestHomeyService testHomeys;
    private final CurrentDeveloper developer;

    public TestHomeyResource(TestHomeyService testHomeys, CurrentDeveloper developer) {
        this.testHomeys = testHomeys;
        this.developer = developer;
    }

    @GET
    public List<TestHomeyView> list() {
        return testHomeys.list(developer.id()).stream().map(TestHomeyView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enroll a test Homey", description = "At most 20 per developer. Its key is kept (encrypted) "
            + "and available from `GET /api/v1/test-homeys/{homeyId}/credentials`.")
    public Response enroll(CreateTestHomeyRequest request) {
        TestHomey homey = testHomeys.enroll(developer.id(), request == null ? null : request.label())
                .orElseThrow(ProblemException::of);
        return Response.created(URI.create("/api/v1/test-homeys/" + homey.homeyId())).entity(TestHomeyView.of(homey))
                .build();
    }

    @GET
    @Path("/{homeyId}")
    public TestHomeyView get(@PathParam("homeyId") String homeyId) {
        return TestHomeyView.of(testHomeys.get(developer.id(), homeyId).orElseThrow(ProblemException::of));
    }

    @GET
    @Path("/{homeyId}/credentials")
    @Operation(summary = "The test Homey's ID and key, for its hello frame")
    public Response credentials(@PathParam("homeyId") String homeyId) {
        HomeyService.Enrollment credentials = testHomeys.credentials(developer.id(), homeyId)
                .orElseThrow(ProblemException::of);
        return Response.ok(new TestHomeyCredentials(credentials.homeyId(), credentials.homeyKey()))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** Deletes it with its registrations and closes its socket. */
    @DELETE
    @Path("/{homeyId}")
    public Response delete(@PathParam("homeyId") String homeyId) {
        testHomeys.delete(developer.id(), homeyId).orElseThrow(ProblemException::of);
        return Response.noContent().build();
    }
}
