package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.webhook.keypath.RegistrationKeys;

/**
 * The compact index against a reference model of plain maps, under random subscribe / unsubscribe / replace /
 * webhook-deleted / Homey-deleted sequences: the same key for many Homeys, {@code $keys} with many keys, Homey ids
 * of every shape, number and boolean keys, each registration put from its tree or from its text as a reload reads it.
 * And under concurrency: readers racing one writer never miss a registration that did not change, never see one that
 * is gone, and never fail.
 *
 * <p>A failure names the seed; rerun with {@code -DQT_SEED=<seed>} to reproduce it.
 */
class CompactRegistrationsPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> WEBHOOKS = List.of("w0", "w1", "56db7fb12dcf75604ea7977d");

    /** What the index should say: webhook → Homey → data. */
    private static final class Model {
        final Map<String, Map<String, JsonNode>> byWebhook = new HashMap<>();
        final Map<JsonNode, Set<String>> keysOf = new HashMap<>();

        void put(String webhookId, String homeyId, JsonNode data) {
            byWebhook.computeIfAbsent(webhookId, id -> new HashMap<>()).put(homeyId, data);
        }

        void remove(String webhookId, String homeyId) {
            Map<String, JsonNode> registrations = byWebhook.get(webhookId);
            if (registrations != null) {
                registrations.remove(homeyId);
            }
        }

        Set<String> homeysWith(String webhookId, List<String> keys) {
            return byWebhook.getOrDefault(webhookId, Map.of()).entrySet().stream()
                    .filter(e -> keys.stream().anyMatch(keysOf(e.getValue())::contains))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
        }

        private Set<String> keysOf(JsonNode data) {
            return keysOf.computeIfAbsent(data, RegistrationKeys::of);
        }
    }

    /** One universe of ids and keys per run, small enough that they collide often. */
    private static final class Universe {
        final Random random;
        final List<String> homeys = new ArrayList<>();
        final List<String> keys = new ArrayList<>();

        Universe(long seed, int homeyCount, int keyCount) {
            random = new Random(seed);
            for (int i = 0; i < homeyCount; i++) {
                homeys.add(switch (i % 5) {
                    case 0, 1, 2 -> String.format("%024x", random.nextLong() & Long.MAX_VALUE);
                    case 3 -> "h" + i;
                    default -> String.format("%024X", i); // upper case: not the contract's shape
                });
            }
            for (int i = 0; i < keyCount; i++) {
                keys.add(switch (i % 6) {
                    case 0 -> "device-" + i;
                    case 1 -> Integer.toString(i);
                    case 2 -> "ü" + i;
                    case 3 -> "\uD83D\uDE00" + i;
                    case 4 -> "true";
                    default -> "k" + i;
                });
            }
            keys.add("shared-by-many");
            keys.add("");
        }

        String homey() {
            return homeys.get(random.nextInt(homeys.size()));
        }

        String webhook() {
            return WEBHOOKS.get(random.nextInt(WEBHOOKS.size()));
        }

        JsonNode data() {
            ObjectNode data = NODES.objectNode();
            int shape = random.nextInt(10);
            if (shape < 4) {
                data.set("$key", keyNode(random.nextInt(4) == 0 ? "shared-by-many" : pick()));
            } else if (shape < 8) {
                ArrayNode keys = data.putArray("$keys");
                int count = random.nextInt(12) == 0 ? 50 + random.nextInt(200) : random.nextInt(5);
                for (int i = 0; i < count; i++) {
                    keys.add(keyNode(pick()));
                }
                if (random.nextBoolean()) {
                    data.set("$key", keyNode(pick()));
                }
            } else if (shape == 8) {
                data.put("name", "no keys at all");
            } else {
                data.set("$key", NODES.arrayNode().add(pick()).add(pick()));
            }
            data.put("n", random.nextInt(3)); // other data changes the stored text, not the keys
            return data;
        }

        private String pick() {
            return keys.get(random.nextInt(keys.size()));
        }

        /** A key as JSON: its text, or a number or boolean with the same canonical text where there is one. */
        private JsonNode keyNode(String key) {
            if (key.equals("true") && random.nextBoolean()) {
                return NODES.booleanNode(true);
            }
            if (!key.isEmpty() && key.chars().allMatch(Character::isDigit) && random.nextBoolean()) {
                return random.nextBoolean() ? NODES.numberNode(Long.parseLong(key))
                        : NODES.numberNode(Double.parseDouble(key));
            }
            return NODES.textNode(key);
        }
    }

    @Test
    void behavesAsTheReferenceModelAfterEveryChange() {
        qt().withExamples(100).withShrinkCycles(0).forAll(longs().all())
                .checkAssert(seed -> runAgainstModel(new Universe(seed, 40, 30), 250, 3));
    }

    @Test
    void behavesAsTheReferenceModelThroughGrowthAndShrinkage() {
        qt().withExamples(3).withShrinkCycles(0).forAll(longs().all())
                .checkAssert(seed -> runAgainstModel(new Universe(seed, 3_000, 1_000), 25_000, 5_000));
    }

    private static void runAgainstModel(Universe u, int steps, int checkEvery) {
        CompactRegistrations index = new CompactRegistrations(JSON);
        Model model = new Model();
        for (int step = 1; step <= steps; step++) {
            int op = u.random.nextInt(100);
            if (op < 60) {
                String webhookId = u.webhook();
                String homeyId = u.homey();
                JsonNode data = u.data();
                if (u.random.nextBoolean()) {
                    index.put(webhookId, homeyId, data);
                } else {
                    index.putStored(webhookId, homeyId, asStored(data)); // as a reload reads it
                }
                model.put(webhookId, homeyId, data);
            } else if (op < 97) {
                String webhookId = u.webhook();
                String homeyId = u.random.nextBoolean() ? u.homey()
                        : model.byWebhook.getOrDefault(webhookId, Map.of()).keySet().stream().findAny()
                                .orElse(u.homey());
                index.remove(webhookId, homeyId);
                model.remove(webhookId, homeyId);
            } else if (op < 98) {
                String webhookId = u.webhook();
                index.removeWebhook(webhookId);
                model.byWebhook.remove(webhookId);
            } else {
                String homeyId = u.homey();
                index.removeHomey(homeyId);
                WEBHOOKS.forEach(webhookId -> model.remove(webhookId, homeyId));
            }
            if (step % checkEvery == 0 || step == steps) {
                assertSame(index, model, u);
            }
        }
    }

    /** The data as text with whitespace between its tokens, as PostgreSQL writes jsonb out. */
    private static String asStored(JsonNode data) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertSame(CompactRegistrations index, Model model, Universe u) {
        Set<String> homeysInUse = new HashSet<>();
        for (String webhookId : WEBHOOKS) {
            Map<String, JsonNode> registrations = model.byWebhook.getOrDefault(webhookId, Map.of());
            homeysInUse.addAll(registrations.keySet());
            assertEquals(registrations.size(), index.countOf(webhookId), webhookId);
            assertEquals(registrations.entrySet().stream()
                    .map(e -> new Registration(e.getKey(), e.getValue().toString())).collect(Collectors.toSet()),
                    Set.copyOf(index.registrationsOf(webhookId)), webhookId);
            for (String homeyId : u.homeys) {
                assertEquals(registrations.containsKey(homeyId), index.isRegistered(webhookId, homeyId), homeyId);
            }
            for (String key : u.keys) {
                assertEquals(model.homeysWith(webhookId, List.of(key)), collect(index, webhookId, List.of(key)),
                        webhookId + " " + key);
            }
            List<String> several = List.of(u.keys.get(0), u.keys.get(1), "shared-by-many", u.keys.get(0));
            assertEquals(model.homeysWith(webhookId, several), collect(index, webhookId, several));
        }
        assertEquals(homeysInUse.size(), index.homeyCount());
    }

    private static Set<String> collect(CompactRegistrations index, String webhookId, List<String> keys) {
        Set<String> into = new LinkedHashSet<>();
        index.collectHomeysWithKeys(webhookId, keys, into);
        return into;
    }

    @Test
    void readersRacingOneWriterSeeEveryUnchangedRegistrationAndNothingGone() throws Exception {
        String webhookId = WEBHOOKS.get(2);
        CompactRegistrations index = new CompactRegistrations(JSON);
        Universe u = new Universe(42, 4_000, 500);
        // Stable: registered before the race and never touched. Gone: registered once, removed before the race.
        List<String> stable = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String homeyId = String.format("5ab1e%019x", i);
            stable.add(homeyId);
            index.put(webhookId, homeyId, JSON.readTree("{\"$keys\":[\"stable-" + i + "\",\"stable-all\"]}"));
        }
        index.put(webhookId, "gone", JSON.readTree("{\"$key\":\"gone\"}"));
        index.remove(webhookId, "gone");

        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        int readers = 2;
        CountDownLatch started = new CountDownLatch(readers);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            int seed = r;
            Thread reader = new Thread(() -> {
                Random random = new Random(seed);
                started.countDown();
                try {
                    long reads = 0;
                    while (writing.get() || reads < 2_000) {
                        int i = random.nextInt(stable.size());
                        assertEquals(Set.of(stable.get(i)),
                                collect(index, webhookId, List.of("stable-" + i, "gone")));
                        assertTrue(index.isRegistered(webhookId, stable.get(i)));
                        assertTrue(!index.isRegistered(webhookId, "gone"));
                        Set<String> all = collect(index, webhookId, List.of("stable-all"));
                        assertEquals(stable.size(), all.size());
                        int count = index.countOf(webhookId);
                        assertTrue(count >= stable.size(), "count " + count);
                        Set<String> churn = collect(index, webhookId, List.of(u.keys.get(random.nextInt(50))));
                        assertTrue(u.homeys.containsAll(churn), churn::toString);
                        reads++;
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            reader.start();
            threads.add(reader);
        }
        started.await();
        Model model = new Model();
        for (int step = 0; step < 20_000 && failures.isEmpty(); step++) {
            String homeyId = u.homey();
            if (u.random.nextInt(3) > 0) {
                JsonNode data = u.data();
                index.put(webhookId, homeyId, data);
                model.put(webhookId, homeyId, data);
            } else {
                index.remove(webhookId, homeyId);
                model.remove(webhookId, homeyId);
            }
        }
        writing.set(false);
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("A reader failed", failures.peek());
        }
        for (String key : u.keys) {
            Set<String> expected = model.homeysWith(webhookId, List.of(key));
            assertEquals(expected, collect(index, webhookId, List.of(key)), key);
        }
    }
}
