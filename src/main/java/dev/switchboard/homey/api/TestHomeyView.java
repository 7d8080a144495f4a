package dev.switchboard.homey.api;

import java.time.Instant;

import dev.switchboard.homey.TestHomey;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A simulator Homey as the API lists it; its key comes only from {@code …/credentials}. */
@RegisterForReflection // also answered inside a Response, which the native build cannot see through
public record TestHomeyView(String homeyId, String label, Instant createdAt, Instant lastSeenAt, boolean online) {

    static TestHomeyView of(TestHomey homey) {
        return new TestHomeyView(homey.homeyId(), homey.label(), homey.createdAt(), homey.lastSeenAt(), homey.online());
    }
}
