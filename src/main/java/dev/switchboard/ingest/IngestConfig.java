package dev.switchboard.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Sender endpoint limits. */
@ConfigMapping(prefix = "switchboard.ingest")
public interface IngestConfig {

    /** Largest body accepted, in bytes (DESIGN.md: 1 MiB by default); larger bodies get 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * After refusing a body (413), how much more of it is read and thrown away so that a sender still writing it
     * gets to read the answer; beyond this the connection (HTTP/1.x) or stream (HTTP/2) is cut.
     */
    @WithDefault("8388608")
    long maxDiscardedBytes();

    /**
     * Sustained requests per second and webhook; above it senders get 429 with Retry-After. Per node: in a cluster each
     * node allows this much, so a webhook's senders may reach the number of nodes times it.
     */
    @WithDefault("1000")
    double ratePerSecond();

    /** Requests a webhook may send at once above the sustained rate (per node, like the rate). */
    @WithDefault("2000")
    double burst();
}
