package dev.switchboard.portal;

import java.time.Instant;

import dev.switchboard.homey.TestHomey;

/** One of the developer's test Homeys on the simulator page. */
public record TestHomeyRow(String homeyId, String label, Instant createdAt, String createdText, Instant lastSeenAt,
        String lastSeenText, boolean online, boolean selected) {

    static TestHomeyRow of(TestHomey homey, String selectedId) {
        return new TestHomeyRow(homey.homeyId(), homey.label(), homey.createdAt(), PortalViews.text(homey.createdAt()),
                homey.lastSeenAt(), PortalViews.text(homey.lastSeenAt()), homey.online(),
                homey.homeyId().equals(selectedId));
    }
}
