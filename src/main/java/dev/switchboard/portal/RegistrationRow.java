package dev.switchboard.portal;

import java.time.Instant;

import dev.switchboard.homey.RegistrationSummary;

/** One registration on the registrations page. */
public record RegistrationRow(String homeyId, String data, boolean online, Instant lastSeenAt, String lastSeenText,
        long pending, Instant createdAt, String createdText, Instant updatedAt, String updatedText, boolean testHomey) {

    static RegistrationRow of(RegistrationSummary summary) {
        return new RegistrationRow(summary.homeyId(), summary.data().toString(), summary.online(),
                summary.lastSeenAt(), PortalViews.text(summary.lastSeenAt()), summary.pending(), summary.createdAt(),
                PortalViews.text(summary.createdAt()), summary.updatedAt(), PortalViews.text(summary.updatedAt()),
                summary.testHomey());
    }
}
