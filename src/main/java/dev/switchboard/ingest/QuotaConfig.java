package dev.switchboard.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How much a sender may have stored per UTC day (README, "Security"): body, header names and values and the query
 * string of each accepted request, counted in memory by each node.
 */
@ConfigMapping(prefix = "switchboard.quota")
public interface QuotaConfig {

    /** Bytes per webhook and UTC day; beyond it the sender gets 429 {@code quota_exceeded} until midnight UTC. */
    @WithDefault("1073741824")
    long webhookBytesPerDay();

    /** Bytes per developer (all their webhooks together) and UTC day. */
    @WithDefault("10737418240")
    long ownerBytesPerDay();
}
