package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;


/** The key index: which Homeys a key value reaches, as registrations come, change and go. */
class WebhookRegistrationsTest {

    private final WebhookRegistrations registrations = new WebhookRegistrations();

    @Test
    void aKeyReachesEveryHomeyRegisteredWithItAndNoOther() {
        registrations.put(registration("h1", "shared", "own1"));
        registrations.put(registration("h2", "shared"));
        registrations.put(registration("h3", "shared"));

        assertEquals(Set.of("h1", "h2", "h3"), homeysWith("shared"));
        assertEquals(Set.of("h1"), homeysWith("own1"));
        assertEquals(Set.of(), homeysWith("nobody"));
    }

    @Test
    void removingAndChangingRegistrationsUpdatesEveryKeyTheyHad() {
        registrations.put(registration("h1", "shared", "a"));
        registrations.put(registration("h2", "shared"));
        registrations.put(registration("h3", "shared"));

        registrations.remove("h2");
        assertEquals(Set.of("h1", "h3"), homeysWith("shared"));
        registrations.put(registration("h1", "b")); // h1 subscribes again with other data
        assertEquals(Set.of("h3"), homeysWith("shared"));
        assertEquals(Set.of(), homeysWith("a"));
        assertEquals(Set.of("h1"), homeysWith("b"));
        registrations.remove("h3");
        assertEquals(Set.of(), homeysWith("shared"));

        registrations.put(registration("h4", "shared")); // a key that was shared and emptied works alone again
        assertEquals(Set.of("h4"), homeysWith("shared"));
        assertEquals(2, registrations.size());
    }

    @Test
    void registeringTheSameKeyTwiceKeepsOneHomey() {
        registrations.put(registration("h1", "k"));
        registrations.put(registration("h1", "k"));

        assertEquals(Set.of("h1"), homeysWith("k"));
        registrations.remove("h1");
        assertTrue(homeysWith("k").isEmpty());
        assertTrue(registrations.isEmpty());
    }

    private Set<String> homeysWith(String key) {
        Set<String> homeys = new HashSet<>();
        registrations.collectHomeysWithKey(key, homeys);
        return homeys;
    }

    private static Registration registration(String homeyId, String... keys) {
        return new Registration(homeyId, "{}", Set.of(keys));
    }
}
