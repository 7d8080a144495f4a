package dev.switchboard.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.webhook.WebhookChanged;

/**
 * A change is applied to this node's directory and index at once; in cluster mode the other nodes are told too
 * ({@link #alsoTell}).
 */
@ApplicationScoped
public class LocalRoutingChanges implements RoutingChanges {

    private final WebhookDirectory directory;
    private final RegistrationIndex registrations;
    /** Cluster mode: the other nodes, told of each change made here; null on a single node. */
    private volatile RoutingChanges peers;

    public LocalRoutingChanges(WebhookDirectory directory, RegistrationIndex registrations) {
        this.directory = directory;
        this.registrations = registrations;
    }

    @Override
    public void registered(String webhookId, String homeyId, JsonNode data) {
        registrations.put(webhookId, homeyId, data);
        RoutingChanges told = peers;
        if (told != null) {
            told.registered(webhookId, homeyId, data);
        }
    }

    @Override
    public void unregistered(String webhookId, String homeyId) {
        registrations.remove(webhookId, homeyId);
        RoutingChanges told = peers;
        if (told != null) {
            told.unregistered(webhookId, homeyId);
        }
    }

    @Override
    public void webhookChanged(String webhookId) {
        directory.refresh(webhookId);
        RoutingChanges told = peers;
        if (told != null) {
            told.webhookChanged(webhookId);
        }
    }

    /** Cluster mode: also tells {@code peers} (the other nodes) of each change made on this node. Called at startup. */
    public void alsoTell(RoutingChanges peers) {
        this.peers = peers;
    }

    /** Cluster mode: this node may have missed changes (the bus was down): reads everything again. */
    public void reloadAll() {
        registrations.reload();
        directory.reload();
    }

    /** webhook announces its changes as an event (it knows nothing of routing); they enter routing here. */
    void onWebhookChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookChanged change) {
        webhookChanged(change.webhookId());
    }
}
