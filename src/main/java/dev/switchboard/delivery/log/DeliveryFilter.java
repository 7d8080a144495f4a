package dev.switchboard.delivery.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.routing.RoutedBy;
import dev.switchboard.problem.Problem.FieldError;
import dev.switchboard.problem.ProblemException;

/**
 * What to show of a webhook's delivery log. Every field is optional (null = any).
 *
 * @param outcome a target state ({@code pending}, {@code delivered}, {@code acked}, {@code expired},
 *                {@code dropped}, {@code error}): deliveries with at least one target in it; or {@code no_match}:
 *                deliveries that matched no Homey
 * @param rule    the routing rule that decided
 * @param homeyId deliveries with a target for this Homey
 * @param from    received at or after (inclusive)
 * @param to      received before (exclusive)
 * @param text    deliveries whose body bytes contain this text (UTF-8, case-sensitive)
 */
public record DeliveryFilter(String outcome, RoutedBy rule, String homeyId, Instant from, Instant to, String text) {

    public static final String NO_MATCH = "no_match";
    /** Target states, in the order a summary reports the one needing attention first. */
    public static final List<String> STATES = List.of("error", "dropped", "expired", "pending", "delivered", "acked");
    public static final Set<String> OUTCOMES = Set.of("pending", "delivered", "acked", "expired", "dropped", "error",
            NO_MATCH);
    public static final int MAX_TEXT_LENGTH = 200;
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public static final DeliveryFilter NONE = new DeliveryFilter(null, null, null, null, null, null);

    public boolean isEmpty() {
        return outcome == null && rule == null && homeyId == null && from == null && to == null && text == null;
    }

    /** True when only the time range is set: every row the index yields is a match. */
    public boolean onlyTimeRange() {
        return outcome == null && rule == null && homeyId == null && text == null;
    }

    /**
     * Whether a delivery just recorded belongs in this view, for the live feed. All its targets are pending at that
     * moment, so {@code outcome} admits only {@code pending} (or {@code no_match} when it matched nobody).
     */
    public boolean admits(DeliveryRecord record) {
        if (!admitsNew(record.homeyIds().size(), record.routedBy(), record.receivedAt())) {
            return false;
        }
        if (homeyId != null && !record.homeyIds().contains(homeyId)) {
            return false;
        }
        return text == null || contains(record.body(), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@link #admits(DeliverySummary)} can decide: the Homey and text filters need the whole record. */
    public boolean decidesOnSummaries() {
        return homeyId == null && text == null;
    }

    /**
     * {@link #admits(DeliveryRecord)} for a delivery just recorded by another node, known by its summary: its targets
     * count as pending as they were when it was recorded. Only for a filter that {@link #decidesOnSummaries()}.
     */
    public boolean admits(DeliverySummary summary) {
        return admitsNew(summary.matched(), summary.routedBy(), summary.receivedAt());
    }

    private boolean admitsNew(int matched, RoutedBy routedBy, Instant receivedAt) {
        if (outcome != null && !(outcome.equals(NO_MATCH) ? matched == 0 : outcome.equals("pending") && matched > 0)) {
            return false;
        }
        if (rule != null && rule != routedBy) {
            return false;
        }
        if (from != null && receivedAt.isBefore(from)) {
            return false;
        }
        return to == null || receivedAt.isBefore(to);
    }

    /**
     * Reads the filter from request parameters; blank means absent (an HTML form sends every field). Throws a 422
     * problem naming every invalid field.
     */
    public static DeliveryFilter parse(String outcome, String rule, String homeyId, String from, String to,
            String text) {
        List<FieldError> errors = new ArrayList<>();
        String validOutcome = null;
        if (present(outcome)) {
            if (OUTCOMES.contains(outcome.strip())) {
                validOutcome = outcome.strip();
            } else {
                errors.add(FieldError.of("outcome",
                        "must be one of pending, delivered, acked, expired, dropped, error, no_match"));
            }
        }
        RoutedBy validRule = null;
        if (present(rule)) {
            try {
                validRule = RoutedBy.ofCode(rule.strip());
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("rule", "must be one of homey_query, key_path, legacy_function, no_match"));
            }
        }
        String validHomey = null;
        if (present(homeyId)) {
            if (homeyId.strip().matches("[0-9a-f]{24}")) {
                validHomey = homeyId.strip();
            } else {
                errors.add(FieldError.of("homeyId", "must be a Homey ID (24 lowercase hex characters)"));
            }
        }
        Instant validFrom = time("from", from, errors);
        Instant validTo = time("to", to, errors);
        if (validFrom != null && validTo != null && !validTo.isAfter(validFrom)) {
            errors.add(FieldError.of("to", "must be later than from"));
        }
        String validText = null;
        if (text != null && !text.isEmpty()) {
            if (text.length() > MAX_TEXT_LENGTH) {
                errors.add(FieldError.of("q", "must be at most " + MAX_TEXT_LENGTH + " characters"));
            } else if (!text.isBlank()) {
                validText = text;
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new DeliveryFilter(validOutcome, validRule, validHomey, validFrom, validTo, validText);
    }

    /** Page size: default 50, at most 200. */
    public static int limit(String limit) {
        if (!present(limit)) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw ProblemException.invalid(FieldError.of("limit", "must be a whole number from 1 to " + MAX_LIMIT));
    }

    /**
     * An instant: ISO-8601 with zone ({@code 2026-11-27T05:00:00Z}, {@code +01:00}), or without one
     * ({@code 2026-11-27T05:00}, what an HTML {@code datetime-local} field sends) or a date, both read as UTC.
     */
    static Instant time(String field, String value, List<FieldError> errors) {
        if (!present(value)) {
            return null;
        }
        String text = value.strip();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    errors.add(FieldError.of(field, "must be an ISO-8601 time such as 2026-11-27T05:00:00Z"));
                    return null;
                }
            }
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        if (needle.length == 0) {
            return true;
        }
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
