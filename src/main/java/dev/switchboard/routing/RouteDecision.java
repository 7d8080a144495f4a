package dev.switchboard.routing;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * Which Homeys a request goes to and why.
 *
 * @param detail for the log: the key-path values found, the {@code homey} asked for, or per-registration
 *               legacy outcomes; null when there is nothing to say
 */
public record RouteDecision(RoutedBy routedBy, List<String> homeyIds, JsonNode detail) {
}
