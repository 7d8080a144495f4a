package dev.switchboard.homey.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a test Homey says hello with: {@code {"type":"hello","homeyId":…,"homeyKey":…}}. */
@RegisterForReflection // also answered inside a Response, which the native build cannot see through
public record TestHomeyCredentials(String homeyId, String homeyKey) {
}
