package dev.switchboard.webhook.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.problem.Problem.FieldError;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.EnvJson;
import dev.switchboard.webhook.PublicUrls;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;
import dev.switchboard.webhook.WebhookUpdate;
import io.quarkus.security.Authenticated;

/** The management API for a developer's own webhooks. */
@Path("/api/v1/webhooks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class WebhookResource {

    private final WebhookService webhooks;
    private final CurrentDeveloper developer;
    private final PublicUrls urls;

    @Context
    UriInfo uriInfo;

    public WebhookResource(WebhookService webhooks, CurrentDeveloper developer, PublicUrls urls) {
        this.webhooks = webhooks;
        this.developer = developer;
        this.urls = urls;
    }

    @GET
    public List<WebhookView> list() {
        return webhooks.list(developer.id()).stream().map(this::view).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull CreateWebhookRequest request) {
        Webhook webhook = webhooks.create(developer.id(), request.name()).orElseThrow(ProblemException::of);
        return Response.created(URI.create("/api/v1/webhooks/" + webhook.id)).entity(view(webhook)).build();
    }

    @GET
    @Path("/{id}")
    public WebhookView get(@PathParam("id") String id) {
        return view(webhooks.get(developer.id(), id).orElseThrow(ProblemException::of));
    }

    /** {@code name} renames; {@code keyPath} sets the key path, and {@code null} or {@code ""} clears it. */
    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public WebhookView update(@PathParam("id") String id, @NotNull ObjectNode body) {
        webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(field -> {
            if (!field.equals("name") && !field.equals("keyPath")) {
                errors.add(FieldError.of(field, "is not a field that can be changed (name, keyPath)"));
            }
        });
        Optional<String> name = textField(body, "name", false, errors);
        Optional<String> keyPath = textField(body, "keyPath", true, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return view(webhooks.update(developer.id(), id, new WebhookUpdate(name, keyPath))
                .orElseThrow(ProblemException::of));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        webhooks.delete(developer.id(), id).orElseThrow(ProblemException::of);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate-secret")
    public WebhookView rotateSecret(@PathParam("id") String id) {
        return view(webhooks.rotateSecret(developer.id(), id).orElseThrow(ProblemException::of));
    }

    @GET
    @Path("/{id}/env.json")
    public Response envJson(@PathParam("id") String id) {
        Webhook webhook = webhooks.get(developer.id(), id).orElseThrow(ProblemException::of);
        return Response.ok(new EnvJson(urls.base(uriInfo.getBaseUri()), webhook.id, webhooks.secretOf(webhook)))
                .header("Content-Disposition", "attachment; filename=\"env.json\"")
                .build();
    }

    private WebhookView view(Webhook webhook) {
        return WebhookView.of(webhook, webhooks.secretOf(webhook), webhooks.previousSecretOf(webhook).isPresent(),
                urls.senderUrl(uriInfo.getBaseUri(), webhook.id));
    }

    private static Optional<String> textField(ObjectNode body, String field, boolean nullable, List<FieldError> errors) {
        if (!body.has(field)) {
            return Optional.empty();
        }
        JsonNode value = body.get(field);
        if (value.isNull() && nullable) {
            return Optional.of("");
        }
        if (!value.isTextual()) {
            errors.add(FieldError.of(field, nullable ? "must be a string or null" : "must be a string"));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }
}
