package dev.switchboard.portal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.switchboard.problem.ProblemException;

/**
 * Error pages for the registrations and simulator pages: a missing webhook reads as on the webhook pages, and
 * anything else missing (a registration, a test Homey) says what it was.
 */
final class PortalErrors {

    private PortalErrors() {
    }

    static Response respond(String user, ProblemException e) {
        if ("webhook_not_found".equals(e.problem().code()) || e.problem().status() != 404) {
            return ErrorPage.respond(user, e.problem());
        }
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE)
                .entity(ErrorPage.Templates.error(user, "Not found", e.problem().detail())).build();
    }
}
