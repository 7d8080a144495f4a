package dev.switchboard.portal;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import dev.switchboard.homey.RegistrationService;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.Credentials;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;

/** The Homeys registered for a webhook, and removing one; plain links and forms, so it reads without JavaScript. */
@Path("/webhooks/{id}/registrations")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class RegistrationPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(String user, String webhookId, String webhookName,
                List<RegistrationRow> rows, boolean firstPage, String next, String notice);

        static native TemplateInstance confirmRemove(String user, String webhookId, String webhookName,
                RegistrationRow registration);
    }

    private final RegistrationService registrations;
    private final WebhookService webhooks;
    private final CurrentDeveloper developer;

    public RegistrationPages(RegistrationService registrations, WebhookService webhooks, CurrentDeveloper developer) {
        this.registrations = registrations;
        this.webhooks = webhooks;
        this.developer = developer;
    }

    @GET
    public TemplateInstance list(@PathParam("id") String id, @RestQuery String after, @RestQuery String done) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        String cursor = Credentials.isWellFormedId(after) ? after : null;
        RegistrationService.Page page = registrations.page(developer.id(), id, cursor,
                RegistrationService.DEFAULT_PAGE_SIZE).orElseThrow(ProblemException::of);
        List<RegistrationRow> rows = page.items().stream().map(RegistrationRow::of).toList();
        String notice = "removed".equals(done) ? "Registration removed. That Homey no longer receives this webhook's "
                + "requests, until its app registers again." : null;
        return Templates.list(developer.displayName(), webhook.id, webhook.name, rows, cursor == null,
                page.next().orElse(null), notice);
    }

    @GET
    @Path("/{homeyId}/remove")
    public TemplateInstance confirmRemove(@PathParam("id") String id, @PathParam("homeyId") String homeyId) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        RegistrationRow row = RegistrationRow.of(registrations.get(developer.id(), id, homeyId)
                .orElseThrow(ProblemException::of));
        return Templates.confirmRemove(developer.displayName(), webhook.id, webhook.name, row);
    }

    @POST
    @Path("/{homeyId}/remove")
    public Object remove(@PathParam("id") String id, @PathParam("homeyId") String homeyId,
            @RestForm String confirm) {
        if (!"yes".equals(confirm)) {
            return confirmRemove(id, homeyId);
        }
        registrations.remove(developer.id(), id, homeyId).orElseThrow(ProblemException::of);
        return Response.seeOther(UriBuilder.fromPath("/webhooks/{id}/registrations").queryParam("done", "removed")
                .build(id)).build();
    }
}
