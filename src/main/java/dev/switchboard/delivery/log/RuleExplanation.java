package dev.switchboard.delivery.log;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.switchboard.routing.RoutedBy;

/** Why a delivery went where it went, in a sentence or two, from the rule and what it recorded. */
public final class RuleExplanation {

    private static final int VALUES_SHOWN = 5;

    private RuleExplanation() {
    }

    /**
     * @param detail  the rule's {@code rule_detail} as recorded (see {@code Router}), or null
     * @param matched how many Homeys the delivery went to
     */
    public static String of(RoutedBy rule, JsonNode detail, int matched) {
        JsonNode d = detail == null ? TextNode.valueOf("") : detail;
        return switch (rule) {
            case HOMEY_QUERY -> homeyQuery(d);
            case KEY_PATH -> keyPath(d, matched);
            case LEGACY_FUNCTION -> legacyFunction(d, matched);
            case NO_MATCH -> "The request had no ?homey= parameter, and the webhook had neither a key path nor a legacy"
                    + " cloud function, so nobody received it. Set a key path to route requests like this one.";
        };
    }

    private static String homeyQuery(JsonNode d) {
        String homey = d.path("homey").asText("");
        if (homey.isEmpty()) {
            return "The request had an empty ?homey= parameter, so nobody received it.";
        }
        return d.path("registered").asBoolean(false)
                ? "The request named Homey " + homey + " in its ?homey= parameter. That Homey is registered for this"
                        + " webhook, so it alone received the request."
                : "The request named Homey " + homey + " in its ?homey= parameter, but that Homey is not registered"
                        + " for this webhook, so nobody received it.";
    }

    private static String keyPath(JsonNode d, int matched) {
        String keyPath = d.path("keyPath").asText("the key path");
        List<String> values = new ArrayList<>();
        d.path("values").forEach(v -> values.add(v.asText()));
        if (values.isEmpty()) {
            return "The key path " + keyPath + " found no value in the request (the key is missing, or holds null or"
                    + " an object), so nobody received it.";
        }
        String found = "The key path " + keyPath + " found " + quoted(values) + ". ";
        if (matched == 0) {
            return found + "No registration has " + (values.size() == 1 ? "that value" : "any of these values")
                    + " in its $key or $keys, so nobody received it.";
        }
        return found + homeys(matched) + " registered with a matching $key or $keys received it.";
    }

    private static String legacyFunction(JsonNode d, int matched) {
        JsonNode results = d.path("results");
        if (!results.isArray() || results.isEmpty()) {
            return "The webhook's legacy cloud function had no registrations to run for, so nobody received it.";
        }
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        results.forEach(r -> counts.merge(Kind.of(r.path("outcome").asText("")), 1, Integer::sum));
        StringBuilder text = new StringBuilder("The legacy cloud function ran for ")
                .append(plural(results.size(), "registration"));
        if (d.has("elapsedMs")) {
            text.append(" in ").append(d.path("elapsedMs").asLong()).append(" ms");
        }
        text.append(": ");
        List<String> parts = new ArrayList<>();
        counts.forEach((kind, n) -> parts.add(n + " " + kind.words));
        text.append(String.join(", ", parts)).append(". ");
        text.append(matched == 0 ? "Nobody received it." : homeys(matched) + " received it.");
        if (d.path("truncated").asBoolean(false)) {
            text.append(" Only the first ").append(results.size()).append(" outcomes are logged.");
        }
        return text.toString();
    }

    private enum Kind {
        MATCHED("returned true"),
        NOT_MATCHED("returned something other than true"),
        THREW("threw an error"),
        TIMED_OUT("ran out of time"),
        STATEMENT_LIMIT("hit the statement limit"),
        ALLOCATION_LIMIT("hit the memory limit"),
        SKIPPED_BUDGET_EXHAUSTED("were skipped (the request's time budget ran out)"),
        INVALID_FUNCTION("could not run (the function is invalid)"),
        OTHER("ended otherwise");

        final String words;

        Kind(String words) {
            this.words = words;
        }

        static Kind of(String outcome) {
            try {
                return valueOf(outcome.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return OTHER;
            }
        }
    }

    private static String quoted(List<String> values) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(VALUES_SHOWN, values.size()); i++) {
            shown.add("\"" + values.get(i) + "\"");
        }
        String list = String.join(", ", shown);
        return values.size() > VALUES_SHOWN ? list + " and " + (values.size() - VALUES_SHOWN) + " more" : list;
    }

    private static String homeys(int n) {
        return n == 1 ? "1 Homey" : n + " Homeys";
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
