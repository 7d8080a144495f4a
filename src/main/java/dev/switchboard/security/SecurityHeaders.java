package dev.switchboard.security;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers on every answer of the portal and the API (not on the sender endpoint {@code /webhook/…}, whose answers
 * no browser renders and whose hot path stays lean).
 * <ul>
 * <li>{@code Content-Security-Policy}: scripts, styles, images, fonts and connections from this site only, no inline
 * script or style, no plugins, no {@code <base>}, forms post here, and no framing ({@code frame-ancestors 'none'},
 * with {@code X-Frame-Options: DENY} for older browsers).</li>
 * <li>{@code X-Content-Type-Options: nosniff}; {@code Referrer-Policy: same-origin} (webhook IDs in URLs stay
 * here).</li>
 * <li>{@code Strict-Transport-Security} when the request came over HTTPS, directly or through a trusted proxy's
 * {@code X-Forwarded-Proto} ({@code quarkus.http.proxy.*}).</li>
 * <li>{@code Cache-Control: no-store} unless the answer says otherwise: pages and API answers are one developer's
 * data, and some carry a webhook secret (env.json, reveal, rotate, the webhook view). Static assets keep their
 * caching.</li>
 * </ul>
 */
@Singleton
public class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";
    static final String HSTS = "max-age=31536000";

    void register(@Observes Filters filters) {
        filters.register(this::handle, 100);
    }

    private void handle(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith("/webhook/") || path.equals("/webhook")) {
            context.next();
            return;
        }
        boolean staticAsset = path.startsWith("/assets/") || path.startsWith("/webjars/");
        boolean https = context.request().isSSL();
        context.addHeadersEndHandler(v -> {
            MultiMap headers = context.response().headers();
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "same-origin");
            if (https) {
                headers.set("Strict-Transport-Security", HSTS);
            }
            if (!staticAsset && !headers.contains("Cache-Control")) {
                headers.set("Cache-Control", "no-store");
            }
        });
        context.next();
    }
}
