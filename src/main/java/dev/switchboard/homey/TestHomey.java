package dev.switchboard.homey;

import java.time.Instant;

/** A developer's simulator Homey, as the portal and the API list it (never with its key). */
public record TestHomey(String homeyId, String label, Instant createdAt, Instant lastSeenAt, boolean online) {
}
