package dev.switchboard.ingest.api;

import java.net.URI;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.switchboard.delivery.log.DeliveryLog;
import dev.switchboard.delivery.log.StoredDelivery;
import dev.switchboard.ingest.Replays;
import dev.switchboard.problem.Problem;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.problem.ProblemWriter;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.WebhookService;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;

/**
 * Replays a delivery of the log: forwarding again, so it lives with ingest (the log itself only reads). Owner-scoped
 * like the webhook.
 */
@Path("/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Delivery log")
public class ReplayResource {

    private final WebhookService webhooks;
    private final CurrentDeveloper developer;
    private final DeliveryLog log;
    private final Replays replays;

    public ReplayResource(WebhookService webhooks, CurrentDeveloper developer, DeliveryLog log, Replays replays) {
        this.webhooks = webhooks;
        this.developer = developer;
        this.log = log;
        this.replays = replays;
    }

    @POST
    @Blocking
    @Operation(summary = "Replay a delivery",
            description = "Runs the stored request through routing again with the webhook's current key path and"
                    + " registrations, records it as a new delivery whose replayOf names the original, and delivers"
                    + " it like a sender's request. Answers once the new delivery is recorded.")
    @APIResponse(responseCode = "200", description = "Recorded: {status, deliveryId, replayOf}")
    @APIResponse(responseCode = "404", description = "No such webhook in your account, or no such delivery of it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "It could not be recorded now (Retry-After says when to retry)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public CompletionStage<Response> replay(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        StoredDelivery original = log.find(id, deliveryId).orElseThrow(() -> ProblemException.notFound(
                "delivery_not_found", "No delivery with this ID in the webhook's log"));
        return replays.replay(original).thenApply(replayed -> {
            if (replayed instanceof Replays.Recorded recorded) {
                String newId = recorded.delivery().id();
                return Response.ok(new ReplayView("accepted", newId, original.id()))
                        .location(URI.create("/api/v1/webhooks/" + id + "/deliveries/" + newId)).build();
            }
            // Answered here, not thrown: this runs after the commit, outside the request's exception mapping.
            if (replayed instanceof Replays.NotRecorded notRecorded) {
                return ProblemWriter.response(Problem.unavailable(
                        "The replay could not be recorded; nothing was delivered. Try again."),
                        notRecorded.retryAfterSeconds());
            }
            return ProblemWriter.response(Problem.of(404, "webhook_not_found", "Not Found", "No webhook with ID " + id),
                    0);
        });
    }
}
