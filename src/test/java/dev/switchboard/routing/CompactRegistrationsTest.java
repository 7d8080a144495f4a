package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The compact index: which Homeys a key value reaches, as registrations come, change and go. */
class CompactRegistrationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String W = "56db7fb12dcf75604ea7977d";

    private final CompactRegistrations index = new CompactRegistrations(JSON);

    @Test
    void aKeyReachesEveryHomeyRegisteredWithItAndNoOther() {
        put("h1", "{\"$keys\":[\"shared\",\"own1\"]}");
        put("h2", "{\"$key\":\"shared\"}");
        put("h3", "{\"$keys\":\"shared\"}");

        assertEquals(Set.of("h1", "h2", "h3"), homeysWith("shared"));
        assertEquals(Set.of("h1"), homeysWith("own1"));
        assertEquals(Set.of(), homeysWith("nobody"));
        assertEquals(Set.of(), homeysWith("shared", "other-webhook"));
    }

    @Test
    void removingAndChangingRegistrationsUpdatesEveryKeyTheyHad() {
        put("h1", "{\"$keys\":[\"shared\",\"a\"]}");
        put("h2", "{\"$key\":\"shared\"}");
        put("h3", "{\"$key\":\"shared\"}");

        index.remove(W, "h2");
        assertEquals(Set.of("h1", "h3"), homeysWith("shared"));
        put("h1", "{\"$key\":\"b\"}"); // h1 subscribes again with other data
        assertEquals(Set.of("h3"), homeysWith("shared"));
        assertEquals(Set.of(), homeysWith("a"));
        assertEquals(Set.of("h1"), homeysWith("b"));
        index.remove(W, "h3");
        assertEquals(Set.of(), homeysWith("shared"));

        put("h4", "{\"$key\":\"shared\"}"); // a key that was shared and emptied works alone again
        assertEquals(Set.of("h4"), homeysWith("shared"));
        assertEquals(2, index.countOf(W));
    }

    @Test
    void registeringTheSameKeyTwiceKeepsOneHomey() {
        put("h1", "{\"$key\":\"k\",\"$keys\":[\"k\",\"k\"]}");
        put("h1", "{\"$key\":\"k\"}");

        assertEquals(Set.of("h1"), homeysWith("k"));
        index.remove(W, "h1");
        assertTrue(homeysWith("k").isEmpty());
        assertEquals(0, index.countOf(W));
        assertEquals(0, index.homeyCount());
    }

    @Test
    void homeyIdsOfEveryShapeComeBackExactly() {
        String hex = "0123456789abcdef01234567";
        String zeros = "000000000000000000000000";
        String upper = "0123456789ABCDEF01234567"; // not the contract's shape: a different Homey
        put(hex, "{\"$key\":\"k\"}");
        put(zeros, "{\"$key\":\"k\"}");
        put(upper, "{\"$key\":\"k\"}");
        put("", "{\"$key\":\"k\"}");
        put("ünïcødé-\uD83D\uDE00", "{\"$key\":\"k\"}");

        assertEquals(Set.of(hex, zeros, upper, "", "ünïcødé-\uD83D\uDE00"), homeysWith("k"));
        assertTrue(index.isRegistered(W, upper));
        assertFalse(index.isRegistered(W, "0123456789abcdef01234568"));
        index.remove(W, hex);
        assertTrue(index.isRegistered(W, upper));
        assertFalse(index.isRegistered(W, hex));
    }

    @Test
    void dataTextComesBackAsWrittenIncludingTextOutsideLatin1() {
        String data = "{\"$key\":\"\uD83D\uDE00\",\"name\":\"Küche \u20AC\",\"lone\":\"\uD800\"}";
        JsonNode node = read(data);
        index.put(W, "h1", node);
        put("h2", "{\"$key\":\"ü\"}");

        Set<Registration> all = Set.copyOf(index.registrationsOf(W));
        assertEquals(Set.of(new Registration("h1", node.toString()), new Registration("h2", "{\"$key\":\"ü\"}")), all);
        assertEquals(Set.of("h1"), homeysWith("\uD83D\uDE00"));
        assertEquals(Set.of("h2"), homeysWith("ü"));
        assertEquals(Set.of(), homeysWith("u"));
    }

    @Test
    void numberAndBooleanKeysMatchTheirCanonicalTextAndLeaveCleanly() {
        put("h1", "{\"$keys\":[42, 1.5, true, 12345678901234567890, 1e400, 0.1]}");
        put("h2", "{\"$key\":42.0}");

        assertEquals(Set.of("h1", "h2"), homeysWith("42"));
        assertEquals(Set.of("h1"), homeysWith("1.5"));
        assertEquals(Set.of("h1"), homeysWith("true"));
        assertEquals(Set.of("h1"), homeysWith("12345678901234567890"));
        assertEquals(Set.of("h1"), homeysWith("0.1"));
        index.remove(W, "h1");
        index.remove(W, "h2");
        for (String key : List.of("42", "1.5", "true", "12345678901234567890", "Infinity", "0.1")) {
            assertEquals(Set.of(), homeysWith(key), key);
        }
        assertEquals(0, index.homeyCount());
    }

    @Test
    void aHomeyRegisteredForSeveralWebhooksIsHeldOnceAndLeavesEachOnItsOwn() {
        String homey = "aaaaaaaaaaaaaaaaaaaaaaaa";
        for (int w = 0; w < 5; w++) {
            index.put("w" + w, homey, read("{\"$key\":\"k\"}"));
        }
        assertEquals(1, index.homeyCount());
        index.removeWebhook("w0");
        assertFalse(index.isRegistered("w0", homey));
        assertTrue(index.isRegistered("w1", homey));
        index.remove("w1", homey);
        assertEquals(Set.of(homey), homeysWith("k", "w2"));
        index.removeHomey(homey);
        for (int w = 0; w < 5; w++) {
            assertFalse(index.isRegistered("w" + w, homey));
            assertEquals(0, index.countOf("w" + w));
        }
        assertEquals(0, index.homeyCount());
    }

    @Test
    void manyHomeysOnOneKeyAndOneHomeyWithManyKeys() {
        for (int i = 0; i < 5_000; i++) {
            index.put(W, String.format("%024x", i), read("{\"$key\":\"everyone\",\"$keys\":[\"k" + i + "\"]}"));
        }
        StringBuilder keys = new StringBuilder("{\"$keys\":[");
        for (int i = 0; i < 5_000; i++) {
            keys.append(i == 0 ? "" : ",").append("\"many").append(i).append('"');
        }
        put("many", keys.append("]}").toString());

        assertEquals(5_000, homeysWith("everyone").size());
        assertEquals(Set.of("many"), homeysWith("many4999"));
        assertEquals(Set.of(String.format("%024x", 77)), homeysWith("k77"));
        for (int i = 0; i < 5_000; i += 2) {
            index.remove(W, String.format("%024x", i));
        }
        assertEquals(2_500, homeysWith("everyone").size());
        put("many", "{}");
        assertEquals(Set.of(), homeysWith("many1"));
        assertEquals(2_501, index.countOf(W));
    }

    @Test
    void keysMadeToShareOneStringHashCodeStillReachOnlyTheirHomeys() {
        List<String> colliding = KeyHashTest.stringHashCodeCollisions(10); // 1,024 keys, one String.hashCode
        StringBuilder keys = new StringBuilder("{\"$keys\":[");
        for (int i = 0; i < colliding.size(); i++) {
            keys.append(i == 0 ? "" : ",").append('"').append(colliding.get(i)).append('"');
        }
        put("attacker", keys.append("]}").toString());
        put("victim", "{\"$key\":\"" + colliding.get(0) + "x\"}");

        assertEquals(Set.of("attacker"), homeysWith(colliding.get(1023)));
        assertEquals(Set.of("victim"), homeysWith(colliding.get(0) + "x"));
        index.remove(W, "attacker");
        assertEquals(Set.of(), homeysWith(colliding.get(512)));
        assertEquals(Set.of("victim"), homeysWith(colliding.get(0) + "x"));
    }

    private void put(String homeyId, String data) {
        index.put(W, homeyId, read(data));
    }

    private Set<String> homeysWith(String key) {
        return homeysWith(key, W);
    }

    private Set<String> homeysWith(String key, String webhookId) {
        Set<String> homeys = new HashSet<>();
        index.collectHomeysWithKeys(webhookId, List.of(key), homeys);
        return homeys.stream().collect(Collectors.toSet());
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
