package dev.switchboard.homey;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Homey endpoint settings; defaults are DESIGN.md's. */
@ConfigMapping(prefix = "switchboard.homeys")
public interface HomeyConfig {

    /** The first frame must be {@code hello} within this time. */
    @WithDefault("10s")
    Duration helloTimeout();

    /** A socket that has not answered a ping for this long is closed (pings go out every 30 s). */
    @WithDefault("60s")
    Duration idleTimeout();

    /** A message sent but not acknowledged within this time is sent again. */
    @WithDefault("30s")
    Duration ackTimeout();

    /**
     * How often unacknowledged messages and silent sockets are looked for. Read by {@code @Scheduled} through its
     * property name (this default is the only one).
     */
    @WithDefault("5s")
    Duration resendCheckInterval();

    /** Messages sent and not yet acknowledged, per Homey; the rest wait in the database (backpressure). */
    @WithDefault("256")
    int maxInFlight();

    /** Enrollments allowed per client address and minute ({@code POST /api/v1/homeys}). */
    @WithDefault("30")
    int enrollmentsPerMinute();

    /**
     * Largest message a Homey may send (subscribe data is the big one); larger closes the socket with 1009. Read by
     * websockets-next through {@code quarkus.websockets-next.server.max-message-size} (application.properties).
     */
    @WithDefault("65536")
    int maxInboundFrameBytes();
}
