package dev.switchboard.portal;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;


import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** The landing page, and {@code /login}, which starts the OIDC sign-in and comes back to the webhook list. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(String user);
    }

    private final SecurityIdentity identity;

    public HomePage(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    public Object home() {
        if (!identity.isAnonymous()) {
            return Response.seeOther(URI.create("/webhooks")).build();
        }
        return Templates.home(null);
    }

    @GET
    @Path("login")
    @Authenticated
    public Response login() {
        return Response.seeOther(URI.create("/webhooks")).build();
    }
}
