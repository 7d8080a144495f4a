package dev.switchboard.routing;

import java.util.Set;

/**
 * A Homey's registration for a webhook, as routing needs it: its data as JSON text (written once, when the
 * registration is indexed, so a legacy function's calls do not serialize or check it again) and the key values that
 * data declares.
 */
public record Registration(String homeyId, String dataJson, Set<String> keys) {
}
