package dev.switchboard.routing;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registrations of one webhook with an index from key value to Homeys, so that matching a key-path value
 * costs the same whether the webhook has ten registrations or a million. Readers never lock; writers serialize.
 */
final class WebhookRegistrations {

    private final Map<String, Registration> byHomey = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> homeysByKey = new ConcurrentHashMap<>();

    synchronized void put(Registration registration) {
        Registration previous = byHomey.put(registration.homeyId(), registration);
        if (previous != null) {
            unindex(previous);
        }
        for (String key : registration.keys()) {
            homeysByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(registration.homeyId());
        }
    }

    synchronized void remove(String homeyId) {
        Registration previous = byHomey.remove(homeyId);
        if (previous != null) {
            unindex(previous);
        }
    }

    boolean contains(String homeyId) {
        return byHomey.containsKey(homeyId);
    }

    void collectHomeysWithKey(String key, Set<String> into) {
        Set<String> homeys = homeysByKey.get(key);
        if (homeys != null) {
            into.addAll(homeys);
        }
    }

    Collection<Registration> all() {
        return byHomey.values();
    }

    int size() {
        return byHomey.size();
    }

    boolean isEmpty() {
        return byHomey.isEmpty();
    }

    private void unindex(Registration registration) {
        for (String key : registration.keys()) {
            homeysByKey.computeIfPresent(key, (k, homeys) -> {
                homeys.remove(registration.homeyId());
                return homeys.isEmpty() ? null : homeys;
            });
        }
    }
}
