package dev.switchboard.portal;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.switchboard.problem.ProblemException;
import dev.switchboard.result.Refusal;
import dev.switchboard.result.Result;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;
import dev.switchboard.webhook.WebhookUpdate;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;

/** The portal pages of a developer's webhooks. Every change is a plain form post, so it works without JavaScript. */
@Path("/webhooks")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class WebhookPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String user, List<WebhookRow> webhooks, String nameValue, String nameError);

        static native TemplateInstance detail(String user, WebhookDetail webhook, String notice);

        static native TemplateInstance confirmDelete(String user, WebhookDetail webhook);

        static native TemplateInstance keyPathFeedback(KeyPathCheck check);
    }

    private final WebhookService webhooks;
    private final CurrentDeveloper developer;
    private final PortalViews views;

    @Context
    UriInfo uriInfo;

    public WebhookPages(WebhookService webhooks, CurrentDeveloper developer, PortalViews views) {
        this.webhooks = webhooks;
        this.developer = developer;
        this.views = views;
    }

    @GET
    public TemplateInstance list() {
        return listPage(null, null);
    }

    @POST
    public Object create(@RestForm String name) {
        Result<Webhook> created = webhooks.create(developer.id(), name);
        if (created.isRefused()) {
            return listPage(name, created.refusal().get().message());
        }
        return seeOther(created.orElseThrow(ProblemException::of).id, "created");
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") String id, @RestQuery String done) {
        return Templates.detail(developer.displayName(), detailOf(id), notice(done));
    }

    @POST
    @Path("/{id}/rename")
    public Object rename(@PathParam("id") String id, @RestForm String name) {
        Optional<Refusal> refused = formRefusal(webhooks.update(developer.id(), id, WebhookUpdate.name(name)));
        if (refused.isEmpty()) {
            return seeOther(id, "renamed");
        }
        return Templates.detail(developer.displayName(), detailOf(id).withNameInput(name, refused.get().message()),
                null);
    }

    @POST
    @Path("/{id}/key-path")
    public Object saveKeyPath(@PathParam("id") String id, @RestForm String keyPath) {
        String source = keyPath == null ? "" : keyPath;
        if (formRefusal(webhooks.update(developer.id(), id, WebhookUpdate.keyPath(source))).isEmpty()) {
            return seeOther(id, source.isBlank() ? "key-path-cleared" : "key-path-saved");
        }
        WebhookDetail detail = detailOf(id);
        KeyPathCheck check = KeyPathCheck.of(source, detail.legacyFunction() != null);
        return Response.status(422)
                .entity(Templates.detail(developer.displayName(), detail.withKeyPathInput(source, check), null))
                .build();
    }

    /** Validation while typing (htmx): the same parser as saving, nothing stored. */
    @POST
    @Path("/{id}/key-path/check")
    public TemplateInstance checkKeyPath(@PathParam("id") String id, @RestForm String keyPath) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        return Templates.keyPathFeedback(KeyPathCheck.of(keyPath, webhook.legacyFunction != null));
    }

    /**
     * The page with the secret shown: a POST (CSRF-checked, never prefetched, kept out of history and caches), so the
     * secret is in a page's HTML only when its owner asked for it.
     */
    @POST
    @Path("/{id}/reveal-secret")
    public Response revealSecret(@PathParam("id") String id) {
        WebhookDetail detail = views.detail(webhooks.get(developer.id(), id).orElseThrow(ProblemException::of),
                uriInfo.getBaseUri(), true);
        return Response.ok(Templates.detail(developer.displayName(), detail, null))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/{id}/rotate-secret")
    public Response rotateSecret(@PathParam("id") String id) {
        webhooks.rotateSecret(developer.id(), id).orElseThrow(ProblemException::of);
        return seeOther(id, "secret-rotated");
    }

    @GET
    @Path("/{id}/delete")
    public TemplateInstance confirmDelete(@PathParam("id") String id) {
        return Templates.confirmDelete(developer.displayName(), detailOf(id));
    }

    @POST
    @Path("/{id}/delete")
    public Object delete(@PathParam("id") String id, @RestForm String confirm) {
        if (!"yes".equals(confirm)) {
            return Templates.confirmDelete(developer.displayName(), detailOf(id));
        }
        webhooks.delete(developer.id(), id).orElseThrow(ProblemException::of);
        return Response.seeOther(URI.create("/webhooks")).build();
    }


    private TemplateInstance listPage(String nameValue, String nameError) {
        List<WebhookRow> rows = webhooks.list(developer.id()).stream().map(views::row).toList();
        return Templates.list(developer.displayName(), rows, nameValue, nameError);
    }

    private WebhookDetail detailOf(String id) {
        return views.detail(webhooks.get(developer.id(), id).orElseThrow(ProblemException::of), uriInfo.getBaseUri(),
                false);
    }

    private static Response seeOther(String id, String done) {
        return Response.seeOther(URI.create("/webhooks/" + id + "?done=" + done)).build();
    }

    private static String notice(String done) {
        if (done == null) {
            return null;
        }
        return switch (done) {
            case "created" -> "Webhook created. Copy its env.json below into your app.";
            case "renamed" -> "Webhook renamed.";
            case "key-path-saved" -> "Key path saved. It applies to the next request.";
            case "key-path-cleared" -> "Key path removed.";
            case "secret-rotated" -> "New secret issued. Update env.json in your app; the old secret keeps working for now.";
            default -> null;
        };
    }

    /**
     * The refusal to show next to the form, if the change was refused; a webhook that is not there (or not the
     * developer's) is the error page instead.
     */
    private static Optional<Refusal> formRefusal(Result<?> result) {
        Optional<Refusal> refused = result.refusal();
        if (refused.isPresent() && refused.get().kind() == Refusal.Kind.NOT_FOUND) {
            throw ProblemException.of(refused.get());
        }
        return refused;
    }
}
