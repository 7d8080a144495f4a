package dev.switchboard.routing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.webhook.keypath.RegistrationKeys;

/**
 * The registration index as main held it before the compact one (RegistrationIndex + WebhookRegistrations at
 * 9a0dab5, the database part left out), kept only so that {@link RegistrationIndexBenchmark} can measure before and
 * after in the same run. Not used by the app.
 */
final class MainBranchIndex {

    record MapRegistration(String homeyId, String dataJson, Set<String> keys) {
    }

    private final Map<String, Registrations> byWebhook = new ConcurrentHashMap<>();

    void put(String webhookId, String homeyId, JsonNode data) {
        Set<String> keys = RegistrationKeys.of(data);
        byWebhook.computeIfAbsent(webhookId, id -> new Registrations())
                .put(new MapRegistration(homeyId, data.toString(), keys));
    }

    boolean isRegistered(String webhookId, String homeyId) {
        Registrations registrations = byWebhook.get(webhookId);
        return registrations != null && registrations.byHomey.containsKey(homeyId);
    }

    void collectHomeysWithKeys(String webhookId, List<String> keyValues, Set<String> into) {
        Registrations registrations = byWebhook.get(webhookId);
        if (registrations == null) {
            return;
        }
        for (String value : keyValues) {
            registrations.collectHomeysWithKey(value, into);
        }
    }

    private static final class Registrations {
        private final Map<String, MapRegistration> byHomey = new ConcurrentHashMap<>();
        private final Map<String, Object> homeysByKey = new ConcurrentHashMap<>();

        synchronized void put(MapRegistration registration) {
            MapRegistration previous = byHomey.put(registration.homeyId(), registration);
            if (previous != null) {
                for (String key : previous.keys()) {
                    homeysByKey.computeIfPresent(key, (k, homeys) -> withoutHomey(homeys, previous.homeyId()));
                }
            }
            String homeyId = registration.homeyId();
            for (String key : registration.keys()) {
                homeysByKey.compute(key, (k, homeys) -> withHomey(homeys, homeyId));
            }
        }

        @SuppressWarnings("unchecked")
        void collectHomeysWithKey(String key, Set<String> into) {
            Object homeys = homeysByKey.get(key);
            if (homeys instanceof String one) {
                into.add(one);
            } else if (homeys != null) {
                into.addAll((Set<String>) homeys);
            }
        }

        @SuppressWarnings("unchecked")
        private static Object withHomey(Object homeys, String homeyId) {
            if (homeys == null || homeys.equals(homeyId)) {
                return homeyId;
            }
            Set<String> several;
            if (homeys instanceof String one) {
                several = ConcurrentHashMap.newKeySet();
                several.add(one);
            } else {
                several = (Set<String>) homeys;
            }
            several.add(homeyId);
            return several;
        }

        @SuppressWarnings("unchecked")
        private static Object withoutHomey(Object homeys, String homeyId) {
            if (homeys instanceof String one) {
                return one.equals(homeyId) ? null : one;
            }
            Set<String> several = (Set<String>) homeys;
            several.remove(homeyId);
            return several.isEmpty() ? null : several;
        }
    }
}
