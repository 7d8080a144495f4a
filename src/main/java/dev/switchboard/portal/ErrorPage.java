package dev.switchboard.portal;

import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.switchboard.problem.Problem;
import dev.switchboard.problem.ProblemPage;
import dev.switchboard.security.CurrentDeveloper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The HTML counterpart of problem+json, the portal's one error mapping: same status, a sentence a person can act
 * on. Every page resource of the portal answers its problems (and unexpected failures) here.
 */
@ApplicationScoped
public class ErrorPage implements ProblemPage {

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance error(String user, String title, String detail);
    }

    private final CurrentDeveloper developer;

    public ErrorPage(CurrentDeveloper developer) {
        this.developer = developer;
    }

    @Override
    public boolean answersFor(Class<?> resourceClass) {
        return resourceClass.getPackageName().equals(ErrorPage.class.getPackageName());
    }

    @Override
    public Response render(Problem problem) {
        return respond(developer.displayName(), problem);
    }

    /** For answers built off the request's thread, where the user was taken beforehand. */
    static Response respond(String user, Problem problem) {
        return Response.status(problem.status()).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(user, title(problem), detail(problem))).build();
    }

    private static String title(Problem problem) {
        return problem.status() == 404 ? "Not found" : problem.status() == 422 ? "Invalid input" : problem.title();
    }

    private static String detail(Problem problem) {
        if (problem.status() == 404) {
            return switch (problem.code() == null ? "" : problem.code()) {
                case "webhook_not_found" -> "There is no such webhook in your account.";
                case "delivery_not_found" -> "There is no such delivery in this webhook's log.";
                default -> problem.detail();
            };
        }
        if (problem.status() == 422 && !problem.errors().isEmpty()) {
            return "Invalid " + problem.errors().stream().map(Problem.FieldError::field).distinct()
                    .collect(Collectors.joining(", "));
        }
        return problem.detail();
    }
}
