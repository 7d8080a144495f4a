package dev.switchboard.portal;

import java.util.List;

/**
 * What the key-path tester found: the values the candidate key path reads from the test request and the
 * registrations they reach, with the request as a Homey would receive it.
 *
 * @param homeyQuery the request's {@code ?homey=}, or null; when set, it decides instead of any key path
 */
public record KeyPathTestResult(String keyPath, List<String> values, List<ReachedHomey> homeys, int homeyCount,
        String homeyQuery, boolean homeyQueryRegistered, String bodyKind, String headersJson, String queryJson,
        String bodyJson) {

    /** A registration the key path reaches; {@code testHomey} when it is one of the viewer's simulator Homeys. */
    public record ReachedHomey(String homeyId, boolean testHomey, boolean selected) {
    }

    public boolean truncated() {
        return homeyCount > homeys.size();
    }

    /** How many reached registrations are not listed. */
    public int more() {
        return homeyCount - homeys.size();
    }
}
