package dev.switchboard.homey.api;

/** {@code label} is optional: without one the Homey is called "Test Homey n". */
public record CreateTestHomeyRequest(String label) {
}
