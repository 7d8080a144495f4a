package dev.switchboard.portal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.resteasy.reactive.RestQuery;

import dev.switchboard.delivery.log.DeliveryLog;
import dev.switchboard.delivery.log.DeliveryLogConfig;
import dev.switchboard.delivery.log.DeliveryPage;
import dev.switchboard.delivery.log.DeliveryQuery;
import dev.switchboard.delivery.log.DeliveryViews;
import dev.switchboard.delivery.log.StoredDelivery;
import dev.switchboard.ingest.Replays;
import dev.switchboard.problem.Problem;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.PublicUrls;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/**
 * The delivery log pages of a webhook: the list (filters as a plain GET form, cursor paging, live updates over SSE
 * for htmx) and one delivery (replay as a form post, curl command, JSON fixture). Reading works without JavaScript.
 */
@Path("/webhooks/{id}/deliveries")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class DeliveryPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String user, DeliveryListPage page);

        static native TemplateInstance detail(String user, DeliveryDetailPage page);

        static native TemplateInstance row(DeliveryRow row, boolean swapOob);

        static native TemplateInstance liveRows(List<DeliveryRow> rows, boolean filtered, boolean searchLimited,
                int scanLimit);

        static native TemplateInstance liveDelivery(DeliveryRow row);
    }

    private final WebhookService webhooks;
    private final CurrentDeveloper developer;
    private final DeliveryLog log;
    private final DeliveryLiveUpdates live;
    private final DeliveryViews views;
    private final DeliveryPageViews pages;
    private final Replays replays;
    private final PublicUrls urls;
    private final DeliveryLogConfig config;

    @Context
    UriInfo uriInfo;

    public DeliveryPages(WebhookService webhooks, CurrentDeveloper developer, DeliveryLog log, DeliveryLiveUpdates live,
            DeliveryViews views, DeliveryPageViews pages, Replays replays, PublicUrls urls, DeliveryLogConfig config) {
        this.webhooks = webhooks;
        this.developer = developer;
        this.log = log;
        this.live = live;
        this.views = views;
        this.pages = pages;
        this.replays = replays;
        this.urls = urls;
        this.config = config;
    }

    @GET
    public Response list(@PathParam("id") String id, @RestQuery String outcome, @RestQuery String rule,
            @RestQuery String homeyId, @RestQuery String from, @RestQuery String to, @RestQuery String q,
            @RestQuery String cursor, @RestQuery String limit) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        DeliveryQuery query;
        try {
            query = DeliveryQuery.parse(outcome, rule, homeyId, from, to, q, cursor, limit);
        } catch (ProblemException e) {
            Map<String, String> errors = new LinkedHashMap<>();
            e.problem().errors().forEach(error -> errors.putIfAbsent(error.field(), error.message()));
            DeliveryListPage.Filters filters = pages.filters(outcome, rule, homeyId, from, to, q, errors);
            return Response.status(422).entity(Templates.list(developer.displayName(),
                    page(webhook, filters, List.of(), cursor == null || cursor.isBlank(), null, false, null, null)))
                    .build();
        }
        DeliveryListPage.Filters filters = pages.filters(outcome, rule, homeyId, from, to, q, Map.of());
        DeliveryPage page = log.page(id, query.filter(), query.afterId(), query.limit());
        List<DeliveryRow> rows = page.items().stream().map(DeliveryRow::of).toList();
        String older = page.nextCursor() == null ? null : DeliveryPageViews.listUrl(id, filters, page.nextCursor());
        return Response.ok(Templates.list(developer.displayName(),
                page(webhook, filters, rows, query.afterId() == null, older, page.searchLimited(), cursor, limit)))
                .build();
    }

    /** Live updates of the list for the htmx {@code sse} extension: see {@link DeliveryLiveUpdates}. */
    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> live(@PathParam("id") String id, @RestQuery String outcome, @RestQuery String rule,
            @RestQuery String homeyId, @RestQuery String from, @RestQuery String to, @RestQuery String q,
            @RestQuery String cursor, @RestQuery String limit, @Context Sse sse) {
        webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        return live.stream(id, DeliveryQuery.parse(outcome, rule, homeyId, from, to, q, cursor, limit), sse);
    }

    @GET
    @Path("/{deliveryId}")
    public TemplateInstance detail(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId,
            @RestQuery String done) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        return Templates.detail(developer.displayName(),
                detailPage(webhook, stored(id, deliveryId), urls.senderUrl(uriInfo.getBaseUri(), id),
                        "replayed".equals(done)
                        ? "Replayed: this is the new delivery. It went to the Homeys the webhook's routing matches now."
                        : null, null));
    }

    @POST
    @Path("/{deliveryId}/replay")
    @Blocking
    public CompletionStage<Response> replay(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        StoredDelivery original = stored(id, deliveryId);
        // The answer is built after the commit, on another thread: take what it needs from the request now.
        String user = developer.displayName();
        String senderUrl = urls.senderUrl(uriInfo.getBaseUri(), id);
        return replays.replay(original).thenApply(replayed -> {
            if (replayed instanceof Replays.Recorded recorded) {
                return Response.seeOther(URI.create("/webhooks/" + id + "/deliveries/" + recorded.delivery().id()
                        + "?done=replayed")).build();
            }
            if (replayed instanceof Replays.WebhookGone) {
                return ErrorPage.respond(user, Problem.of(404, "webhook_not_found", "Not Found", "No such webhook"));
            }
            return Response.status(503).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.detail(user, detailPage(webhook, original, senderUrl, null,
                            "The replay could not be recorded; nothing was delivered. Try again.")))
                    .build();
        });
    }


    /** {@code cursor} and {@code limit} as requested: the live stream reads the same page again. */
    private DeliveryListPage page(Webhook webhook, DeliveryListPage.Filters filters, List<DeliveryRow> rows,
            boolean firstPage, String older, boolean searchLimited, String cursor, String limit) {
        return new DeliveryListPage(webhook.id, webhook.name, urls.senderUrl(uriInfo.getBaseUri(), webhook.id), rows,
                filters, firstPage, older, firstPage ? null : DeliveryPageViews.listUrl(webhook.id, filters, null),
                searchLimited, config.scanLimit(), DeliveryPageViews.liveUrl(webhook.id, filters, cursor, limit),
                LiveDeliveryList.MAX_ROWS, pages.stats(log.stats(webhook.id)));
    }

    private DeliveryDetailPage detailPage(Webhook webhook, StoredDelivery delivery, String senderUrl, String notice,
            String error) {
        return pages.detail(webhook.name, views.detail(delivery), views.curl(delivery, senderUrl), notice, error);
    }

    private StoredDelivery stored(String webhookId, String deliveryId) {
        return log.find(webhookId, deliveryId).orElseThrow(() -> ProblemException.notFound("delivery_not_found",
                "No delivery with this ID in the webhook's log"));
    }
}
