package dev.switchboard.security;

import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;

/**
 * Where the endpoints that authenticate their callers themselves sit in the Vert.x router: ahead of Quarkus'
 * authentication handlers. A sender proves itself by knowing the webhook id (and its own Authorization header must
 * never be taken for a portal login); a Homey proves itself with {@code hello} on its socket. Skipping the handlers
 * also saved about a tenth of the app's CPU per sender request (measured with JFR under load).
 */
public final class SelfAuthenticatingRoutes {

    /** The route order for such an endpoint (lower runs first). */
    public static final int ORDER = -SecurityHandlerPriorities.AUTHENTICATION - 1;

    private SelfAuthenticatingRoutes() {
    }
}
