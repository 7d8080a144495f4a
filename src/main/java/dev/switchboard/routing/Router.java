package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.routing.legacy.LegacyEvaluation;
import dev.switchboard.routing.legacy.LegacyOutcome;
import dev.switchboard.webhook.keypath.KeyPath;

/**
 * Decides the Homeys of a request in DESIGN.md's order: {@code ?homey=}, key path, legacy function, nobody.
 * The first rule that applies decides; there is no fall-through.
 */
@ApplicationScoped
public class Router {

    /** The log keeps the first outcomes of a legacy evaluation, not one entry per registration of a huge fleet. */
    static final int MAX_LOGGED_RESULTS = 200;

    private final RegistrationIndex registrations;
    private final LegacyFunctions legacyFunctions;
    private final ObjectMapper mapper;

    public Router(RegistrationIndex registrations, LegacyFunctions legacyFunctions, ObjectMapper mapper) {
        this.registrations = registrations;
        this.legacyFunctions = legacyFunctions;
        this.mapper = mapper;
    }

    /** True when {@link #route} would run a legacy function, which blocks: the caller must leave the event loop. */
    public boolean needsLegacyFunction(RoutableWebhook webhook, WebhookPayload payload) {
        return !payload.query().has("homey") && webhook.keyPath().isEmpty() && webhook.legacyFunction().isPresent();
    }

    /** True while a request needing a legacy function would be refused: the functions' queue is full. */
    public boolean legacyFunctionsSaturated() {
        return legacyFunctions.saturated();
    }

    /**
     * {@link #route} on the legacy functions' own executor; fails with {@link LegacyFunctions.Saturated} when its
     * queue is full. Completes on that executor's thread.
     */
    public java.util.concurrent.CompletableFuture<RouteDecision> routeOffLoop(RoutableWebhook webhook,
            WebhookPayload payload) {
        return legacyFunctions.submit(() -> route(webhook, payload));
    }

    public RouteDecision route(RoutableWebhook webhook, WebhookPayload payload) {
        JsonNode homey = payload.query().get("homey");
        if (homey != null) {
            return byHomeyQuery(webhook, homey);
        }
        if (webhook.keyPath().isPresent()) {
            return byKeyPath(webhook, webhook.keyPath().get(), payload);
        }
        if (webhook.legacyFunction().isPresent()) {
            return byLegacyFunction(webhook, webhook.legacyFunction().get(), payload);
        }
        return new RouteDecision(RoutedBy.NO_MATCH, List.of(), null);
    }

    private RouteDecision byHomeyQuery(RoutableWebhook webhook, JsonNode homey) {
        // A repeated ?homey= names one Homey only: the first, as most query parsers would read it.
        String homeyId = homey.isArray() ? homey.path(0).asText("") : homey.asText("");
        ObjectNode detail = mapper.createObjectNode().put("homey", homeyId);
        boolean registered = registrations.isRegistered(webhook.id(), homeyId);
        detail.put("registered", registered);
        return new RouteDecision(RoutedBy.HOMEY_QUERY, registered ? List.of(homeyId) : List.of(), detail);
    }

    private RouteDecision byKeyPath(RoutableWebhook webhook, KeyPath keyPath, WebhookPayload payload) {
        List<String> values = keyPath.evaluate(payload.body(), payload.headers(), payload.query());
        Set<String> homeys = new LinkedHashSet<>();
        registrations.collectHomeysWithKeys(webhook.id(), values, homeys);
        ObjectNode detail = mapper.createObjectNode().put("keyPath", keyPath.source());
        ArrayNode found = detail.putArray("values");
        values.forEach(found::add);
        return new RouteDecision(RoutedBy.KEY_PATH, List.copyOf(homeys), detail);
    }

    private RouteDecision byLegacyFunction(RoutableWebhook webhook, String function, WebhookPayload payload) {
        List<Registration> candidates = new ArrayList<>(registrations.registrationsOf(webhook.id()));
        if (candidates.isEmpty()) {
            return new RouteDecision(RoutedBy.LEGACY_FUNCTION, List.of(), mapper.createObjectNode().putArray("results"));
        }
        List<String> data = candidates.stream().map(Registration::dataJson).toList();
        LegacyEvaluation evaluation = legacyFunctions.evaluate(function, payload.body().toString(), data);
        List<String> matched = new ArrayList<>();
        ObjectNode detail = mapper.createObjectNode();
        ArrayNode results = detail.putArray("results");
        for (int i = 0; i < candidates.size(); i++) {
            LegacyOutcome outcome = evaluation.outcome(i);
            String homeyId = candidates.get(i).homeyId();
            if (outcome.matched()) {
                matched.add(homeyId);
            }
            if (results.size() >= MAX_LOGGED_RESULTS) {
                detail.put("truncated", true);
                continue;
            }
            ObjectNode result = results.addObject().put("homeyId", homeyId)
                    .put("outcome", outcome.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (outcome.message() != null) {
                result.put("message", outcome.message());
            }
        }
        detail.put("elapsedMs", evaluation.elapsed().toMillis());
        return new RouteDecision(RoutedBy.LEGACY_FUNCTION, matched, detail);
    }
}
