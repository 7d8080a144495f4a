package dev.switchboard.delivery.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.switchboard.delivery.log.DeliveryDetailView;
import dev.switchboard.delivery.log.DeliveryLog;
import dev.switchboard.delivery.log.DeliveryPage;
import dev.switchboard.delivery.log.DeliveryQuery;
import dev.switchboard.delivery.log.DeliveryViews;
import dev.switchboard.delivery.log.StoredDelivery;
import dev.switchboard.problem.Problem;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.WebhookService;
import io.quarkus.security.Authenticated;

/**
 * A developer's view of a webhook's delivery log. Owner-scoped like the webhook itself. Replaying from it is
 * forwarding again: {@code dev.switchboard.ingest.api.ReplayResource}.
 */
@Path("/api/v1/webhooks/{id}/deliveries")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Delivery log")
public class DeliveryResource {

    private final WebhookService webhooks;
    private final CurrentDeveloper developer;
    private final DeliveryLog log;
    private final DeliveryViews views;

    public DeliveryResource(WebhookService webhooks, CurrentDeveloper developer, DeliveryLog log,
            DeliveryViews views) {
        this.webhooks = webhooks;
        this.developer = developer;
        this.log = log;
        this.views = views;
    }

    @GET
    @Operation(summary = "List deliveries, newest first",
            description = "Cursor-paged: pass nextCursor as cursor for the next (older) page; nextCursor is null at"
                    + " the end. Filters that the (webhook, time) index cannot answer examine a bounded number of"
                    + " deliveries per call, so a page may hold fewer items than limit (even none) while nextCursor"
                    + " still continues the search.")
    @APIResponse(responseCode = "200", description = "A page of deliveries")
    @APIResponse(responseCode = "404", description = "No such webhook in your account",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A filter value is invalid; errors name each field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DeliveryPageView list(@PathParam("id") String id,
            @Parameter(description = "A target state (pending, delivered, acked, expired, dropped, error): deliveries"
                    + " with at least one Homey in it; or no_match: deliveries that reached nobody")
            @RestQuery String outcome,
            @Parameter(description = "The rule that routed it: homey_query, key_path, legacy_function, no_match")
            @RestQuery String rule,
            @Parameter(description = "Deliveries sent to this Homey") @RestQuery String homeyId,
            @Parameter(description = "Received at or after, ISO-8601 (e.g. 2026-11-27T05:00:00Z)") @RestQuery String from,
            @Parameter(description = "Received before, ISO-8601") @RestQuery String to,
            @Parameter(description = "Text the body contains (exact bytes, UTF-8, case-sensitive; up to 200 characters)")
            @RestQuery String q,
            @Parameter(description = "nextCursor of the previous page") @RestQuery String cursor,
            @Parameter(description = "Page size, 1-200 (default 50)", schema = @Schema(type = SchemaType.INTEGER))
            @RestQuery String limit) {
        webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        DeliveryQuery query = DeliveryQuery.parse(outcome, rule, homeyId, from, to, q, cursor, limit);
        DeliveryPage page = log.page(id, query.filter(), query.afterId(), query.limit());
        return new DeliveryPageView(page.items().stream().map(DeliveryItemView::of).toList(), page.nextCursor());
    }

    @GET
    @Path("/{deliveryId}")
    @Operation(summary = "One delivery: the request (credential headers redacted), its routing and each Homey's outcome")
    @APIResponse(responseCode = "200", description = "The delivery")
    @APIResponse(responseCode = "404", description = "No such webhook in your account, or no such delivery of it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public DeliveryDetailView get(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        return views.detail(stored(id, deliveryId));
    }

    @GET
    @Path("/{deliveryId}/fixture.json")
    @Operation(summary = "Download the request as a test fixture",
            description = "The message frame a Homey app receives for this delivery, with credential headers"
                    + " (authorization, cookie, tokens, …) redacted.")
    @APIResponse(responseCode = "200", description = "A JSON file (Content-Disposition: attachment)")
    @APIResponse(responseCode = "404", description = "No such webhook in your account, or no such delivery of it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response fixture(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        StoredDelivery delivery = stored(id, deliveryId);
        return Response.ok(views.fixture(delivery))
                .header("Content-Disposition", "attachment; filename=\"delivery-" + delivery.id() + ".json\"")
                .build();
    }

    private StoredDelivery stored(String webhookId, String deliveryId) {
        webhooks.get(developer.id(), webhookId).orElseThrow(ProblemException::of);
        return log.find(webhookId, deliveryId).orElseThrow(() -> ProblemException.notFound("delivery_not_found",
                "No delivery with this ID in the webhook's log"));
    }
}
