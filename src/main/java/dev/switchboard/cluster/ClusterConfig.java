package dev.switchboard.cluster;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Cluster mode (README, "Running a cluster"). Without {@code redis-url} the app is one node and none of this runs. */
@ConfigMapping(prefix = "switchboard.cluster")
public interface ClusterConfig {

    /** Redis shared by the nodes, e.g. {@code redis://redis:6379}; unset: a single node, no Redis. */
    Optional<String> redisUrl();

    /** This node's name in presence entries and its hand-over channel; default: random at each start. */
    Optional<String> nodeId();

    /** How long a presence entry lives unless its node refreshes it: a dead node's Homeys count as offline after it. */
    @WithDefault("10s")
    Duration presenceTtl();

    /** How often a node refreshes the presence of the Homeys connected to it. */
    @WithDefault("3s")
    Duration presenceRefresh();

    /** How often a node looks in the log for messages of its connected Homeys whose hand-over was lost. */
    @WithDefault("5s")
    Duration pendingSweep();

    /** A message younger than this is left to its hand-over by the sweep. */
    @WithDefault("2s")
    Duration sweepMinAge();
}
