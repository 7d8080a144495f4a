package dev.switchboard.webhook.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.switchboard.problem.Problem.FieldError;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.security.CurrentDeveloper;
import dev.switchboard.webhook.LegacyFunctionCheck;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;

/**
 * Imports a legacy cloud function onto an existing webhook. Only administrators: developers can read these
 * functions but never write them (DESIGN.md: legacy functions are read-only).
 */
@Path("/api/v1/admin/webhooks/{id}/legacy-function")
@RolesAllowed(CurrentDeveloper.ADMIN_ROLE)
@Tag(name = "Administration")
public class AdminWebhookResource {

    static final int MAX_FUNCTION_LENGTH = 64 * 1024;

    private final WebhookService webhooks;
    private final LegacyFunctionCheck check;

    public AdminWebhookResource(WebhookService webhooks, LegacyFunctionCheck check) {
        this.webhooks = webhooks;
        this.check = check;
    }

    /** The body is the function's body as plain text, e.g. {@code return homey_data.id === webhook_data.id;}. */
    @PUT
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_JSON)
    public LegacyFunctionView importFunction(@PathParam("id") String id, String functionBody) {
        String body = functionBody == null ? "" : functionBody;
        if (body.isBlank()) {
            throw ProblemException.invalid(FieldError.of("legacyFunction", "must not be blank"));
        }
        if (body.length() > MAX_FUNCTION_LENGTH) {
            throw ProblemException.invalid(FieldError.of("legacyFunction",
                    "must be at most " + MAX_FUNCTION_LENGTH + " characters"));
        }
        check.syntaxError(body).ifPresent(error -> {
            throw ProblemException.invalid(FieldError.of("legacyFunction", error));
        });
        Webhook webhook = webhooks.importLegacyFunction(id, body).orElseThrow(ProblemException::of);
        return new LegacyFunctionView(webhook.id, webhook.legacyFunction, webhook.legacyImportedAt);
    }

    public record LegacyFunctionView(String webhookId, String legacyFunction, java.time.Instant importedAt) {
    }
}
