package dev.switchboard.delivery.log;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A webhook's last 24 hours at a glance.
 *
 * @param hours         24 UTC hours, oldest first, the last one the current (partial) hour
 * @param outcomes      over the newest {@code sampled} requests of those hours: targets per state, plus
 *                      {@code no_match} requests that reached nobody ({@link DeliveryFilter#STATES} order)
 * @param sampled       how many requests {@code outcomes} covers
 */
public record DeliveryStats(List<Hour> hours, Map<String, Long> outcomes, int sampled) {

    /**
     * @param requests   requests received in the hour
     * @param deliveries messages those requests made (one per matched Homey)
     * @param estimated  true when the hour was busier than the counting bound and these are extrapolated
     */
    public record Hour(Instant start, long requests, long deliveries, boolean estimated) {
    }

    public long totalRequests() {
        return hours.stream().mapToLong(Hour::requests).sum();
    }

    public long totalDeliveries() {
        return hours.stream().mapToLong(Hour::deliveries).sum();
    }

    public boolean anyEstimated() {
        return hours.stream().anyMatch(Hour::estimated);
    }
}
