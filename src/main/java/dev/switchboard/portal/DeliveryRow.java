package dev.switchboard.portal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.switchboard.routing.RoutedBy;
import dev.switchboard.delivery.log.DeliverySummary;

/**
 * One line of the delivery list, rendered in the page and, live, as an SSE fragment.
 *
 * @param outcome      the word for styling and filtering ({@code acked}, {@code no_match}, …)
 * @param outcomeLabel what a person reads, e.g. {@code acked} or {@code 1 of 2 acked}
 */
public record DeliveryRow(String id, String webhookId, Instant receivedAt, String receivedText, String method,
        String ruleLabel, String outcome, String outcomeLabel, int matched, String sizeText, String replayOf) {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    static DeliveryRow of(DeliverySummary s) {
        return new DeliveryRow(s.id(), s.webhookId(), s.receivedAt(), TIME.format(s.receivedAt()), s.method(),
                ruleLabel(s.routedBy()), s.outcome(), outcomeLabel(s), s.matched(), size(s.size()), s.replayOf());
    }

    public String url() {
        return "/webhooks/" + webhookId + "/deliveries/" + id;
    }

    static String ruleLabel(RoutedBy rule) {
        return switch (rule) {
            case HOMEY_QUERY -> "?homey=";
            case KEY_PATH -> "key path";
            case LEGACY_FUNCTION -> "legacy function";
            case NO_MATCH -> "no rule";
        };
    }

    static String outcomeLabel(DeliverySummary s) {
        String outcome = s.outcome();
        if (outcome.equals("no_match")) {
            return "no match";
        }
        if (s.matched() == 1) {
            return outcome;
        }
        int inState = s.targetStates().getOrDefault(outcome, 0);
        return outcome.equals("acked") ? "all " + s.matched() + " acked"
                : inState + " of " + s.matched() + " " + outcome + " · " + s.acked() + " acked";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
