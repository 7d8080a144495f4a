package dev.switchboard.routing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one way committed changes reach routing's in-memory state (the webhook directory and the registration index).
 * Owned by routing so that homey and webhook stay unaware of who keeps what in memory: in-process today
 * ({@link LocalRoutingChanges} applies each change at once); cluster mode will publish them to every node here.
 * Call after the change is committed.
 */
public interface RoutingChanges {

    /** This Homey's registration for this webhook was created or replaced, with {@code data}. */
    void registered(String webhookId, String homeyId, JsonNode data);

    /** This Homey's registration for this webhook is gone. */
    void unregistered(String webhookId, String homeyId);

    /** The webhook was created, changed or deleted: read it again. */
    void webhookChanged(String webhookId);
}
