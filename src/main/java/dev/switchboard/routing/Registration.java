package dev.switchboard.routing;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** A Homey's registration for a webhook, as routing needs it: its data and the key values that data declares. */
public record Registration(String homeyId, JsonNode data, Set<String> keys) {
}
