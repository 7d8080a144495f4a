package dev.switchboard.routing;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The registration index alone, before (main's maps, {@link MainBranchIndex}) and after ({@link CompactRegistrations})
 * in one JVM: retained heap per registration after a full GC, time to load, and lookups per second for the two
 * questions routing asks on the hot path (a key-path value's Homeys; whether {@code ?homey=} is registered).
 * Registrations are shaped as the load benchmark seeds them (Seeder: one webhook, Homey {@code fa<22 digits>},
 * {@code {"$key": "o<7 digits>"}}, parsed from the text PostgreSQL returns), plus a share of keys shared by 100 Homeys.
 *
 * <p>Run with {@code src/bench/index.sh} (builds, then {@code --registrations 1000000}); the 10,000,000 scenario with
 * {@code src/bench/index.sh --registrations 10000000 --only compact --heap 4g}. Single-threaded; figures from a shared
 * machine move by ±15%, heap figures do not.
 */
public final class RegistrationIndexBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEBHOOK_ID = "be0c4be0c4be0c4be0c4be0c";
    private static final int LOOKUPS_PER_ROUND = 2_000_000;
    private static final int ROUNDS = 7;

    private interface Index {
        void put(String webhookId, String homeyId, JsonNode data);

        boolean isRegistered(String webhookId, String homeyId);

        void collectHomeysWithKeys(String webhookId, List<String> keyValues, Set<String> into);
    }

    public static void main(String[] args) throws Exception {
        int registrations = 1_000_000;
        String only = "both";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--registrations" -> registrations = Integer.parseInt(args[++i].replace("_", ""));
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("Options: --registrations N, --only main|compact|both");
            }
        }
        System.out.printf(Locale.ROOT, "Registration index benchmark: %,d registrations, JVM %s, max heap %,d MB, %s%n",
                registrations, System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        List<String> results = new ArrayList<>();
        if (!only.equals("compact")) {
            results.add(measure("main (maps of strings)", registrations, () -> {
                MainBranchIndex index = new MainBranchIndex();
                return new Index() {
                    public void put(String w, String h, JsonNode d) {
                        index.put(w, h, d);
                    }

                    public boolean isRegistered(String w, String h) {
                        return index.isRegistered(w, h);
                    }

                    public void collectHomeysWithKeys(String w, List<String> k, Set<String> into) {
                        index.collectHomeysWithKeys(w, k, into);
                    }
                };
            }));
        }
        if (!only.equals("main")) {
            results.add(measure("compact (this branch)", registrations, () -> {
                CompactRegistrations index = new CompactRegistrations(JSON);
                return new Index() {
                    public void put(String w, String h, JsonNode d) {
                        index.put(w, h, d);
                    }

                    public boolean isRegistered(String w, String h) {
                        return index.isRegistered(w, h);
                    }

                    public void collectHomeysWithKeys(String w, List<String> k, Set<String> into) {
                        index.collectHomeysWithKeys(w, k, into);
                    }
                };
            }));
        }
        System.out.println();
        System.out.println("| index | registrations | heap retained | bytes / registration | load | key lookups/s"
                + " (median of " + ROUNDS + ") | ?homey= lookups/s |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        results.forEach(System.out::println);
    }

    private static String measure(String name, int count, java.util.function.Supplier<Index> create) {
        System.out.printf(Locale.ROOT, "%n== %s%n", name);
        long before = heapAfterGc();
        Index index = create.get();
        // As RegistrationIndex.reload does, minus PostgreSQL: parse each data text as jsonb prints it, then put it.
        // Timed apart, in batches, so that the index's own share shows.
        long parseNanos = 0;
        long putNanos = 0;
        JsonNode[] batch = new JsonNode[1_000];
        for (int from = 0; from < count; from += batch.length) {
            int to = Math.min(count, from + batch.length);
            long t0 = System.nanoTime();
            for (int i = from; i < to; i++) {
                batch[i - from] = read(dataText(i));
            }
            long t1 = System.nanoTime();
            for (int i = from; i < to; i++) {
                index.put(WEBHOOK_ID, homeyId(i), batch[i - from]);
            }
            putNanos += System.nanoTime() - t1;
            parseNanos += t1 - t0;
        }
        java.util.Arrays.fill(batch, null);
        double loadSeconds = (parseNanos + putNanos) / 1e9;
        System.out.printf(Locale.ROOT, "load: parsing %.1f s, putting %.1f s%n", parseNanos / 1e9, putNanos / 1e9);
        long retained = heapAfterGc() - before;
        System.out.printf(Locale.ROOT, "loaded in %.1f s; heap retained %,d MB = %,d bytes per registration%n",
                loadSeconds, retained >> 20, retained / count);

        Random random = new Random(7);
        String[] keys = new String[1 << 16];
        String[] homeys = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int n = random.nextInt(count);
            // Every 16th lookup misses (a device nobody registered), as some webhook traffic does.
            keys[i] = i % 16 == 0 ? "x" + n : deviceKey(n);
            homeys[i] = i % 16 == 0 ? "fb" + homeyId(n).substring(2) : homeyId(n);
        }
        double[] keyRates = new double[ROUNDS];
        double[] homeyRates = new double[ROUNDS];
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < LOOKUPS_PER_ROUND; i++) {
                // As Router.byKeyPath asks: the key path's values, into a LinkedHashSet.
                Set<String> into = new LinkedHashSet<>();
                index.collectHomeysWithKeys(WEBHOOK_ID, List.of(keys[i & (keys.length - 1)]), into);
                sink += into.size();
            }
            keyRates[round] = LOOKUPS_PER_ROUND / ((System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            for (int i = 0; i < LOOKUPS_PER_ROUND; i++) {
                sink += index.isRegistered(WEBHOOK_ID, homeys[i & (homeys.length - 1)]) ? 1 : 0;
            }
            homeyRates[round] = LOOKUPS_PER_ROUND / ((System.nanoTime() - t1) / 1e9);
        }
        Set<String> group = new LinkedHashSet<>();
        index.collectHomeysWithKeys(WEBHOOK_ID, List.of("group-7"), group);
        System.out.printf(Locale.ROOT, "key lookups/s per round: %s%n?homey= lookups/s per round: %s%n"
                + "(checks: %d hits, group-7 reaches %d Homeys)%n", rates(keyRates), rates(homeyRates), sink,
                group.size());
        String row = String.format(Locale.ROOT, "| %s | %,d | %,d MB | %,d | %.1f s | %,.0f | %,.0f |", name, count,
                retained >> 20, retained / count, loadSeconds, median(keyRates), median(homeyRates));
        // Keep the index reachable until its figures are taken.
        if (index.isRegistered("nobody", "nobody")) {
            throw new AssertionError();
        }
        return row;
    }

    private static String homeyId(int i) {
        String digits = Integer.toString(i);
        return "fa" + "0".repeat(22 - digits.length()) + digits;
    }

    private static String deviceKey(int i) {
        String digits = Integer.toString(i);
        return "o" + "0".repeat(Math.max(0, 7 - digits.length())) + digits;
    }

    /** Every 50th registration also has a group key that 1 in 100 of them share, and a name. */
    private static String dataText(int i) {
        return i % 50 == 0
                ? "{\"$key\": \"" + deviceKey(i) + "\", \"name\": \"Device " + i + "\", \"$keys\": [\"group-"
                        + (i / 50) % 100 + "\"]}"
                : "{\"$key\": \"" + deviceKey(i) + "\"}";
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long heapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static String rates(double[] rates) {
        StringBuilder s = new StringBuilder();
        for (double r : rates) {
            s.append(String.format(Locale.ROOT, "%,.0f ", r));
        }
        return s.toString().trim();
    }

    private static double median(double[] rates) {
        double[] sorted = rates.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
