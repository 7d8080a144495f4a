package dev.switchboard.delivery.log;

import java.time.Instant;

/** What happened to one delivery for one Homey. */
public record DeliveryTarget(String homeyId, String state, int attempts, Instant firstSentAt, Instant lastSentAt,
        Instant ackedAt) {
}
