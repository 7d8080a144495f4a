package dev.switchboard.routing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.webhook.keypath.KeyPath;

/**
 * What a key path would do with a request before it is saved: the same evaluation and the same index lookup as
 * {@link Router}, and nothing recorded or sent.
 */
@ApplicationScoped
public class RoutePreview {

    private final RegistrationIndex registrations;

    public RoutePreview(RegistrationIndex registrations) {
        this.registrations = registrations;
    }

    /**
     * @param values      the canonical texts the key path found (empty: it matches no one)
     * @param homeyIds    the Homeys those values reach, at most {@code limit} of them
     * @param homeyCount  how many Homeys they reach in all
     * @param homeyQuery  the request's {@code ?homey=}, which routes before any key path (rule 1), if it has one
     * @param homeyQueryRegistered whether that Homey is registered, i.e. whether rule 1 would reach it
     */
    public record Preview(List<String> values, List<String> homeyIds, int homeyCount, Optional<String> homeyQuery,
            boolean homeyQueryRegistered) {
    }

    public Preview preview(String webhookId, KeyPath keyPath, WebhookPayload payload, int limit) {
        List<String> values = keyPath.evaluate(payload.body(), payload.headers(), payload.query());
        Set<String> homeys = new LinkedHashSet<>();
        registrations.collectHomeysWithKeys(webhookId, values, homeys);
        Optional<String> homeyQuery = Optional.ofNullable(payload.query().get("homey")).map(RoutePreview::firstText);
        boolean registered = homeyQuery.map(id -> registrations.isRegistered(webhookId, id)).orElse(false);
        return new Preview(values, homeys.stream().limit(limit).toList(), homeys.size(), homeyQuery, registered);
    }

    /** As {@link Router} reads a repeated {@code ?homey=}: the first. */
    private static String firstText(JsonNode homey) {
        return homey.isArray() ? homey.path(0).asText("") : homey.asText("");
    }
}
