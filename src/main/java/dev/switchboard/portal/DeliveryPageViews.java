package dev.switchboard.portal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.delivery.log.CurlCommand;
import dev.switchboard.delivery.log.DeliveryDetailView;
import dev.switchboard.delivery.log.DeliveryStats;
import dev.switchboard.payload.HeaderRedaction;
import dev.switchboard.portal.DeliveryDetailPage.HeaderLine;
import dev.switchboard.portal.DeliveryDetailPage.TargetLine;
import dev.switchboard.portal.DeliveryListPage.Filters;
import dev.switchboard.portal.DeliveryListPage.Option;
import dev.switchboard.routing.RoutedBy;

/** Maps the delivery log to what its pages show. */
@ApplicationScoped
public class DeliveryPageViews {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("MM-dd HH:00").withZone(ZoneOffset.UTC);
    private static final Map<String, String> OUTCOMES = labels("pending", "pending", "delivered", "delivered",
            "acked", "acked", "expired", "expired", "dropped", "dropped", "error", "error", "no_match", "no match");
    private static final Map<String, String> RULES = labels("homey_query", "?homey=", "key_path", "key path",
            "legacy_function", "legacy function", "no_match", "no rule");

    private static final int MAX_BODY_CHARS = 200_000;

    private final ObjectMapper mapper;
    private final ObjectMapper pretty;

    public DeliveryPageViews(ObjectMapper mapper) {
        this.mapper = mapper;
        this.pretty = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    Filters filters(String outcome, String rule, String homeyId, String from, String to, String q,
            Map<String, String> errors) {
        return new Filters(text(outcome), text(rule), text(homeyId), text(from), text(to), q == null ? "" : q,
                errors, options(OUTCOMES, outcome), options(RULES, rule));
    }

    /** The list's URL with these filters, and {@code cursor} when not null. */
    static String listUrl(String webhookId, Filters f, String cursor) {
        return "/webhooks/" + webhookId + "/deliveries" + query(f, cursor, null);
    }

    /** The SSE stream of the page with these filters, {@code cursor} and {@code limit} (each null when absent). */
    static String liveUrl(String webhookId, Filters f, String cursor, String limit) {
        return "/webhooks/" + webhookId + "/deliveries/live" + query(f, cursor, limit);
    }

    DeliveryListPage.Stats stats(DeliveryStats stats) {
        ObjectNode chart = mapper.createObjectNode();
        ArrayNode t = chart.putArray("t");
        ArrayNode requests = chart.putArray("requests");
        ArrayNode deliveries = chart.putArray("deliveries");
        List<DeliveryListPage.HourLine> hours = new ArrayList<>();
        for (DeliveryStats.Hour hour : stats.hours()) {
            t.add(hour.start().getEpochSecond());
            requests.add(hour.requests());
            deliveries.add(hour.deliveries());
            hours.add(new DeliveryListPage.HourLine(HOUR.format(hour.start()), hour.requests(), hour.deliveries(),
                    hour.estimated()));
        }
        List<DeliveryListPage.OutcomeCount> outcomes = new ArrayList<>();
        stats.outcomes().forEach((outcome, count) -> outcomes.add(
                new DeliveryListPage.OutcomeCount(outcome, OUTCOMES.getOrDefault(outcome, outcome), count)));
        // Only digits, brackets and field names: nothing that could end the <script> element it is put in.
        return new DeliveryListPage.Stats(chart.toString(), hours, outcomes, stats.sampled(), stats.totalRequests(),
                stats.totalDeliveries(), stats.anyEstimated());
    }

    DeliveryDetailPage detail(String webhookName, DeliveryDetailView d, CurlCommand curl, String notice,
            String error) {
        List<HeaderLine> headers = new ArrayList<>();
        d.headers().properties().forEach(h -> headers.add(new HeaderLine(h.getKey(), h.getValue().asText(),
                HeaderRedaction.REDACTED.equals(h.getValue().asText()) && HeaderRedaction.isCredential(h.getKey()))));
        List<TargetLine> targets = d.targets().stream().map(t -> new TargetLine(t.homeyId(), t.state(), t.attempts(),
                time(t.firstSentAt()), time(t.lastSentAt()), time(t.ackedAt()))).toList();
        String query = d.query().isEmpty() ? null : json(d.query());
        return new DeliveryDetailPage(d.webhookId(), webhookName, d, DeliveryRow.TIME.format(d.receivedAt()) + " UTC",
                DeliveryRow.size(d.size()), DeliveryRow.ruleLabel(RoutedBy.ofCode(d.routedBy())),
                headers, query, bodyText(d), bodyNote(d), d.ruleDetail() == null ? null : json(d.ruleDetail()),
                targets, curl.text(), curl.omitted().isEmpty() ? null : String.join(", ", curl.omitted()), notice,
                error);
    }

    private String bodyText(DeliveryDetailView d) {
        String text = switch (d.bodyKind()) {
            case "json", "form" -> json(d.body());
            case "text", "malformed_json" -> d.body().asText();
            default -> null;
        };
        // A page, not a file: a mebibyte of pretty-printed JSON would make it crawl. The fixture has everything.
        return text != null && text.length() > MAX_BODY_CHARS
                ? text.substring(0, MAX_BODY_CHARS) + "\n… (the first " + MAX_BODY_CHARS
                        + " characters; download the JSON fixture for all of it)"
                : text;
    }

    private static String bodyNote(DeliveryDetailView d) {
        String type = d.contentType() == null ? "no Content-Type" : d.contentType();
        return switch (d.bodyKind()) {
            case "json" -> "JSON (" + type + "), " + DeliveryRow.size(d.size()) + ". Homeys receive it parsed.";
            case "form" -> "Form fields (" + type + "), " + DeliveryRow.size(d.size())
                    + ". Homeys receive them as an object.";
            case "text" -> "Text (" + type + "), " + DeliveryRow.size(d.size()) + ". Homeys receive it as a string.";
            case "malformed_json" -> "Declared as JSON (" + type + ") but it does not parse, so Homeys receive it as a"
                    + " string. " + DeliveryRow.size(d.size()) + ".";
            case "binary" -> "Binary data (" + type + "), " + DeliveryRow.size(d.size()) + ". Homeys receive {} as"
                    + " body and the exact bytes, base64, in rawBody; the JSON fixture has them too.";
            default -> "No body.";
        };
    }

    private String json(JsonNode node) {
        try {
            return pretty.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String time(Instant at) {
        return at == null ? "" : DeliveryRow.TIME.format(at);
    }

    private static String query(Filters f, String cursor, String limit) {
        StringBuilder q = new StringBuilder();
        param(q, "outcome", f.outcome());
        param(q, "rule", f.rule());
        param(q, "homeyId", f.homeyId());
        param(q, "from", f.from());
        param(q, "to", f.to());
        param(q, "q", f.q());
        param(q, "cursor", cursor);
        param(q, "limit", limit);
        return q.toString();
    }

    private static void param(StringBuilder q, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        q.append(q.length() == 0 ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static List<Option> options(Map<String, String> labels, String selected) {
        List<Option> options = new ArrayList<>();
        options.add(new Option("", "any", selected == null || selected.isBlank()));
        labels.forEach((value, label) -> options.add(new Option(value, label, value.equals(text(selected)))));
        return options;
    }

    private static Map<String, String> labels(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static String text(String value) {
        return value == null ? "" : value.strip();
    }
}
