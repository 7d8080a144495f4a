package dev.switchboard.portal;

import java.util.List;
import java.util.Map;

/**
 * The delivery list of one webhook.
 *
 * @param firstPage     true without a cursor: new deliveries are inserted at the top live
 * @param olderUrl      the next (older) page, or null at the end
 * @param searchLimited the filters examined their bound of rows before the page was full
 * @param liveUrl       the SSE stream for this view
 * @param maxLiveRows   rows the page keeps while new ones arrive live
 */
public record DeliveryListPage(String webhookId, String webhookName, String senderUrl, List<DeliveryRow> rows,
        Filters filters, boolean firstPage, String olderUrl, String newestUrl, boolean searchLimited, int scanLimit,
        String liveUrl, int maxLiveRows, Stats stats) {

    /** The filter form as entered, with an error per invalid field. */
    public record Filters(String outcome, String rule, String homeyId, String from, String to, String q,
            Map<String, String> errors, List<Option> outcomes, List<Option> rules) {

        public boolean active() {
            return !(outcome + rule + homeyId + from + to + q).isBlank();
        }

        public boolean hasErrors() {
            return !errors.isEmpty();
        }
    }

    public record Option(String value, String label, boolean selected) {
    }

    /**
     * @param chartJson   {@code {"t":[epoch seconds…],"requests":[…],"deliveries":[…]}} for uPlot
     * @param outcomes    counts over the newest {@code sampled} requests
     */
    public record Stats(String chartJson, List<HourLine> hours, List<OutcomeCount> outcomes, int sampled,
            long totalRequests, long totalDeliveries, boolean estimated) {

        /** E.g. "12 requests, 1 message to Homeys". */
        public String summary() {
            return plural(totalRequests, "request") + ", " + plural(totalDeliveries, "message") + " to Homeys";
        }

        public String sampledText() {
            return sampled == 1 ? "the last request" : "the last " + sampled + " requests";
        }

        private static String plural(long n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }
    }

    public record HourLine(String label, long requests, long deliveries, boolean estimated) {
    }

    public record OutcomeCount(String outcome, String label, long count) {
    }
}
