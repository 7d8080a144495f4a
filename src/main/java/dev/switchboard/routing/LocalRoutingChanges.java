package dev.switchboard.routing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.webhook.WebhookChanged;

/** One node: a change is applied to this node's directory and index at once. */
@ApplicationScoped
public class LocalRoutingChanges implements RoutingChanges {

    private final WebhookDirectory directory;
    private final RegistrationIndex registrations;

    public LocalRoutingChanges(WebhookDirectory directory, RegistrationIndex registrations) {
        this.directory = directory;
        this.registrations = registrations;
    }

    @Override
    public void registered(String webhookId, String homeyId, JsonNode data) {
        registrations.put(webhookId, homeyId, data);
    }

    @Override
    public void unregistered(String webhookId, String homeyId) {
        registrations.remove(webhookId, homeyId);
    }

    @Override
    public void webhookChanged(String webhookId) {
        directory.refresh(webhookId);
    }

    /** webhook announces its changes as an event (it knows nothing of routing); they enter routing here. */
    void onWebhookChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) WebhookChanged change) {
        webhookChanged(change.webhookId());
    }
}
