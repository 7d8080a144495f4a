package dev.switchboard.portal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.switchboard.security.CurrentDeveloper;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

/** {@code /docs/apps}: how an app receives webhooks through the Node and Python clients. Public, like the README. */
@Path("/docs/apps")
@Produces(MediaType.TEXT_HTML)
public class AppGuidePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance guide(String user);
    }

    private final SecurityIdentity identity;
    private final CurrentDeveloper developer;

    public AppGuidePage(SecurityIdentity identity, CurrentDeveloper developer) {
        this.identity = identity;
        this.developer = developer;
    }

    @GET
    public TemplateInstance guide() {
        return Templates.guide(identity.isAnonymous() ? null : developer.displayName());
    }
}
