package dev.switchboard.delivery.log;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Bounds on what one look at the delivery log may cost (DESIGN.md, "Delivery log"). */
@ConfigMapping(prefix = "switchboard.delivery-log")
public interface DeliveryLogConfig {

    /**
     * Most deliveries one page request examines when filters are set. A filter that matches rarely (a word in
     * the body, an error outcome) would otherwise walk a webhook's whole history for one page; past this many rows
     * the page ends early and its cursor continues the search where it stopped.
     */
    @WithDefault("5000")
    int scanLimit();

    /** Targets counted per listed delivery: a delivery to a fleet of thousands is summarized from its first ones. */
    @WithDefault("1000")
    int targetsCountedPerDelivery();

    /** Homey rows shown on one delivery's detail. */
    @WithDefault("500")
    int targetsShown();

    /**
     * Rows counted per hour for the 24-hour chart. A busier hour is extrapolated from its newest rows (and marked
     * as an estimate), so the chart costs at most 24 times this many rows whatever the traffic (measured: 2,000
     * rows an hour, for a webhook receiving 2 requests/s among 2.4 million rows: 55 ms).
     */
    @WithDefault("2000")
    int statsRowsPerHour();

    /** Newest deliveries whose outcomes the at-a-glance counts cover. */
    @WithDefault("1000")
    int statsOutcomeSample();

    /** Statement timeout of portal queries, so a pathological filter cannot hold a connection. */
    @WithDefault("5s")
    Duration queryTimeout();

    /**
     * Changed deliveries that may wait to be re-read for open portal pages. Beyond this the live log drops changes
     * and has every open page read its rows again instead, so a burst of acknowledgements costs bounded memory.
     */
    @WithDefault("10000")
    int liveMaxPendingChanges();
}
