package dev.switchboard.homey.api;

import java.util.List;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.switchboard.homey.RegistrationService;
import dev.switchboard.problem.Problem.FieldError;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.Credentials;
import io.quarkus.security.Authenticated;

/** The Homeys registered for a developer's webhook ({@code createWebhook(id, secret, data)} calls that stuck). */
@Path("/api/v1/webhooks/{id}/registrations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Registrations")
public class RegistrationResource {

    private final RegistrationService registrations;
    private final CurrentDeveloper developer;

    public RegistrationResource(RegistrationService registrations, CurrentDeveloper developer) {
        this.registrations = registrations;
        this.developer = developer;
    }

    @GET
    @Operation(summary = "List registrations",
            description = "Ordered by homeyId, at most `limit` (default 50, at most 500) per page. When there may be "
                    + "more, a `Link: <…?after=…>; rel=\"next\"` header points at the next page.")
    public Response list(@PathParam("id") String id, @RestQuery String after, @RestQuery Integer limit) {
        int size = limit == null ? RegistrationService.DEFAULT_PAGE_SIZE : limit;
        if (size < 1 || size > RegistrationService.MAX_PAGE_SIZE) {
            throw ProblemException.invalid(FieldError.of("limit",
                    "must be between 1 and " + RegistrationService.MAX_PAGE_SIZE));
        }
        if (after != null && !Credentials.isWellFormedId(after)) {
            throw ProblemException.invalid(FieldError.of("after", "must be a Homey ID from a previous page"));
        }
        RegistrationService.Page page = registrations.page(developer.id(), id, after, size)
                .orElseThrow(ProblemException::of);
        List<RegistrationView> body = page.items().stream().map(RegistrationView::of).toList();
        Response.ResponseBuilder response = Response.ok(body);
        page.next().ifPresent(next -> response.link(UriBuilder.fromPath("/api/v1/webhooks/{id}/registrations")
                .queryParam("after", next).queryParam("limit", size).build(id), "next"));
        return response.build();
    }

    @GET
    @Path("/{homeyId}")
    public RegistrationView get(@PathParam("id") String id, @PathParam("homeyId") String homeyId) {
        return RegistrationView.of(registrations.get(developer.id(), id, homeyId).orElseThrow(ProblemException::of));
    }

    /** Removes the registration at once: the next request to the webhook no longer reaches that Homey. */
    @DELETE
    @Path("/{homeyId}")
    public Response remove(@PathParam("id") String id, @PathParam("homeyId") String homeyId) {
        registrations.remove(developer.id(), id, homeyId).orElseThrow(ProblemException::of);
        return Response.noContent().build();
    }
}
