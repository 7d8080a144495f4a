package dev.switchboard.homey.api;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.homey.RegistrationSummary;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A registration as the API shows it to the webhook's owner. {@code pending} counts the messages waiting for the
 * Homey over all its webhooks; {@code online} is whether it has a socket open now.
 */
@RegisterForReflection // also answered inside a Response, which the native build cannot see through
public record RegistrationView(String homeyId, JsonNode data, boolean online, Instant lastSeenAt, long pending,
        Instant createdAt, Instant updatedAt, boolean testHomey) {

    static RegistrationView of(RegistrationSummary summary) {
        return new RegistrationView(summary.homeyId(), summary.data(), summary.online(), summary.lastSeenAt(),
                summary.pending(), summary.createdAt(), summary.updatedAt(), summary.testHomey());
    }
}
