package dev.switchboard.homey;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A registration as its webhook's owner sees it.
 *
 * @param online    whether the Homey has a socket open on this node now
 * @param pending   messages waiting for this Homey (not yet acknowledged), over all of its webhooks
 * @param testHomey whether it is one of the viewing developer's own simulator Homeys
 */
public record RegistrationSummary(String homeyId, JsonNode data, boolean online, Instant lastSeenAt, long pending,
        Instant createdAt, Instant updatedAt, boolean testHomey) {
}
