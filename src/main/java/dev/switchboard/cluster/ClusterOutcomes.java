package dev.switchboard.cluster;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.delivery.OutcomeListener;

/**
 * Cluster mode: outcome changes written on this node (a Homey connected here acknowledged a message that another node
 * recorded) reach the live delivery log pages served by the other nodes. Listens only while Redis is connected; a
 * single node never does.
 */
@ApplicationScoped
public class ClusterOutcomes implements OutcomeListener {

    private final ClusterNode node;

    public ClusterOutcomes(ClusterNode node) {
        this.node = node;
    }

    @Override
    public boolean isListening() {
        return node.isConnected();
    }

    @Override
    public void committed(List<String> deliveryIds) {
        node.outcomesCommitted(deliveryIds);
    }
}
