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
 * <li>{@code Cache-Control: no-store} unless the answer says otherwise: pages and API answers are one developer's
 * data, and some carry a webhook secret (env.json, reveal, rotate, the webhook view). Static assets keep their
 * caching.</li>
 * </ul>
 */
@Singleton
public class SecurityHeaders {

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
        context.addHeadersEndHandler(v -> {
            MultiMap headers = context.response().headers();
            if (!staticAsset && !headers.contains("Cache-Control")) {
                headers.set("Cache-Control", "no-store");
            }
        });
        context.next();
    }
}
