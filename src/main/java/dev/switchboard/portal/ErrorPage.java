package dev.switchboard.portal;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.switchboard.problem.Problem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The HTML counterpart of problem+json: same status, a sentence a person can act on. */
final class ErrorPage {

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance error(String user, String title, String detail);
    }

    private ErrorPage() {
    }

    static Response respond(String user, Problem problem) {
        String title = problem.status() == 404 ? "Not found" : problem.title();
        String detail = problem.status() == 404 ? "There is no such webhook in your account." : problem.detail();
        return Response.status(problem.status()).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(user, title, detail)).build();
    }
}
