package dev.switchboard.routing;

/**
 * A Homey's registration for a webhook, as a legacy function needs it: its data as JSON text (written once, when the
 * registration is indexed, so a legacy function's calls do not serialize or check it again).
 */
public record Registration(String homeyId, String dataJson) {
}
