package dev.switchboard.homey;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.WithDefault;

/** Homey endpoint settings; defaults are DESIGN.md's. */
@ConfigMapping(prefix = "switchboard.homeys")
public interface HomeyConfig {

    /** The first frame must be {@code hello} within this time. */
    @WithDefault("10s")
    Duration helloTimeout();

    /** A socket that has not answered a ping for this long is closed. */
    @WithDefault("60s")
    Duration idleTimeout();

    /**
     * How often every authenticated socket is pinged; a live client answers with a pong. Read by {@code @Scheduled}
     * through its property name.
     */
    @WithDefault("30s")
    Duration pingInterval();

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

    /**
     * Bytes of message frames sent and not yet acknowledged, per Homey, besides {@link #maxInFlight()}: 256 messages
     * of 1 MiB each would otherwise hold over half a GiB for one slow Homey. One message may always be in flight.
     */
    @WithDefault("16M")
    MemorySize maxInFlightBytes();

    /** The same for all Homeys on this node together; each Homey may still have one message in flight. */
    @WithDefault("256M")
    MemorySize maxInFlightBytesPerNode();

    /**
     * Enrollments allowed per client and minute ({@code POST /api/v1/homeys}); a client is an IPv4 address or an IPv6
     * /64 (one subscriber's prefix, which hands out addresses freely).
     */
    @WithDefault("30")
    int enrollmentsPerMinute();

    /**
     * Clients whose enrollment allowance is tracked at once. When that many are, those whose allowance has refilled
     * are forgotten; if none has, a new client is refused until one has (the table is never reset wholesale).
     */
    @WithDefault("100000")
    int enrollmentClientsTracked();

    /** A Homey enrolled this long ago that never connected (never said hello) is deleted. Test Homeys are kept. */
    @WithDefault("30d")
    Duration neverConnectedRetention();

    /** How often Homeys that never connected are looked for. Read by {@code @Scheduled} through its property name. */
    @WithDefault("1h")
    Duration purgeInterval();

    /**
     * Largest message a Homey may send, however it is fragmented (subscribe data is the big one); larger closes the
     * socket with 1009. Vert.x enforces it as the HTTP server's largest WebSocket frame and message
     * ({@code HomeySocketLimits}), and {@code HomeySocket} checks it again.
     */
    @WithDefault("65536")
    int maxInboundFrameBytes();

    /** Largest {@code data} of a registration, as JSON text in UTF-8; larger is refused with {@code data_too_large}. */
    @WithDefault("16384")
    int maxDataBytes();

    /** Most entries in a registration's {@code $keys}; more is refused with {@code too_many_keys}. */
    @WithDefault("1000")
    int maxKeys();

    /** Registrations one Homey may hold; a subscribe for one more webhook is refused with {@code too_many_registrations}. */
    @WithDefault("100")
    int maxRegistrationsPerHomey();

    /**
     * Subscribe and unsubscribe frames per socket and second, sustained; above it they are answered with an error
     * frame {@code rate_limited}. The burst lets a reconnecting Homey re-subscribe all its registrations at once.
     */
    @WithDefault("2")
    double subscribesPerSecond();

    @WithDefault("120")
    double subscribeBurst();
}
