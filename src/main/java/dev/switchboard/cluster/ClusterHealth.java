package dev.switchboard.cluster;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether this node reaches the cluster's Redis. A node without Redis stays ready (UP, {@code degraded}): senders
 * still get their 200 and messages reach Homeys from the log, so taking it out of the load balancer would only
 * remove capacity.
 */
@Readiness
@ApplicationScoped
public class ClusterHealth implements HealthCheck {

    private final ClusterNode node;

    public ClusterHealth(ClusterNode node) {
        this.node = node;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("cluster").up();
        if (!node.isClustered()) {
            return response.withData("mode", "single node").build();
        }
        return response.withData("mode", "cluster").withData("node", node.nodeId())
                .withData("redis", node.isConnected() ? "connected" : "unavailable")
                .withData("status", node.isConnected() ? "ok" : "degraded").build();
    }
}
