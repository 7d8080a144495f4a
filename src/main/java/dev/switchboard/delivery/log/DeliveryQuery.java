package dev.switchboard.delivery.log;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.switchboard.problem.Problem.FieldError;
import dev.switchboard.problem.ProblemException;

/**
 * A request for one page of a webhook's log, read from query parameters.
 *
 * @param afterId the delivery the cursor points at (exclusive), or null for the newest page
 */
public record DeliveryQuery(DeliveryFilter filter, String afterId, int limit) {

    /** Throws one 422 problem naming every invalid parameter. */
    public static DeliveryQuery parse(String outcome, String rule, String homeyId, String from, String to, String q,
            String cursor, String limit) {
        List<FieldError> errors = new ArrayList<>();
        DeliveryFilter filter = collect(errors, () -> DeliveryFilter.parse(outcome, rule, homeyId, from, to, q));
        String afterId = collect(errors, () -> DeliveryCursor.parse(cursor));
        Integer size = collect(errors, () -> DeliveryFilter.limit(limit));
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return new DeliveryQuery(filter, afterId, size);
    }

    private static <T> T collect(List<FieldError> errors, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ProblemException e) {
            errors.addAll(e.problem().errors());
            return null;
        }
    }
}
