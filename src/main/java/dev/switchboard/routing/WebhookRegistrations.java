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
    /**
     * Key value → the Homey registered with it (a String: nearly every key belongs to one device) or, when several
     * share it, a concurrent set of them. A set per key cost about 200 bytes per registration (measured with 10^6).
     */
    private final Map<String, Object> homeysByKey = new ConcurrentHashMap<>();

    synchronized void put(Registration registration) {
        Registration previous = byHomey.put(registration.homeyId(), registration);
        if (previous != null) {
            unindex(previous);
        }
        String homeyId = registration.homeyId();
        for (String key : registration.keys()) {
            homeysByKey.compute(key, (k, homeys) -> withHomey(homeys, homeyId));
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

    @SuppressWarnings("unchecked")
    void collectHomeysWithKey(String key, Set<String> into) {
        Object homeys = homeysByKey.get(key);
        if (homeys instanceof String one) {
            into.add(one);
        } else if (homeys != null) {
            into.addAll((Set<String>) homeys);
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
        String homeyId = registration.homeyId();
        for (String key : registration.keys()) {
            homeysByKey.computeIfPresent(key, (k, homeys) -> withoutHomey(homeys, homeyId));
        }
    }

    /** The entry with {@code homeyId} added; a set that readers may be iterating is changed in place. */
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

    /** The entry without {@code homeyId}, or null when no Homey is left. */
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
