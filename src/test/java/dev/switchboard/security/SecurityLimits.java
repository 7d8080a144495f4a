package dev.switchboard.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Limits small enough to reach in a test, shared by the security tests so that they run in one app. The other limits
 * keep their production defaults (README, "Senders and Homeys").
 */
public class SecurityLimits implements QuarkusTestProfile {

    static final int MAX_REGISTRATIONS_PER_HOMEY = 20;
    static final int MAX_WEBHOOKS_PER_DEVELOPER = 25;
    static final int SUBSCRIBE_BURST = 30;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("switchboard.homeys.max-registrations-per-homey", "" + MAX_REGISTRATIONS_PER_HOMEY),
                Map.entry("switchboard.webhooks.max-per-developer", "" + MAX_WEBHOOKS_PER_DEVELOPER),
                Map.entry("switchboard.homeys.subscribe-burst", "" + SUBSCRIBE_BURST),
                Map.entry("switchboard.homeys.subscribes-per-second", "0.5"),
                // One legacy function at a time, two waiting, each call allowed 400 ms (LegacyExecutorLimitsTest).
                Map.entry("switchboard.legacy-functions.max-concurrent-evaluations", "1"),
                Map.entry("switchboard.legacy-functions.max-queued-evaluations", "2"),
                Map.entry("switchboard.legacy-functions.per-call-timeout", "400ms"),
                Map.entry("switchboard.legacy-functions.statement-limit", "1000000000"));
    }
}
