package dev.switchboard.routing;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * The registrations of one webhook with an index from key value to Homeys, so that matching a key-path value costs
 * the same whether the webhook has ten registrations or a million. Held in flat arrays (open addressing, linear
 * probing, backward-shift deletion) of Homey handles ({@link HomeyHandles}) rather than maps of objects: a
 * registration costs its data text, one key text and a few ints, about a fifth of what maps of strings cost.
 *
 * <p>Not thread-safe by itself: {@link CompactRegistrations} serializes writers and validates readers. Methods
 * marked "reader" are bounded and never write, so that a reader racing a writer at worst throws or reads nonsense,
 * which validation then discards. Growth ({@link #reserve}) builds a new table beside the old one and publishes it
 * through a volatile field: a reader holding the old table still sees the same content.
 */
final class WebhookRegistrations {

    private static final int[][] NO_SETS = new int[0][];

    /** Registrations by Homey handle: handle + 1 (0 for empty) and the data text ({@link CompactText}). */
    private static final class RegistrationTable {
        final int[] homeys;
        final Object[] data;

        RegistrationTable(int capacity) {
            homeys = new int[capacity];
            data = new Object[capacity];
        }
    }

    /**
     * Key value (its {@link CompactText}, and its {@link KeyHash}) → the one Homey handle registered with it
     * (0 or more), or {@code ~set} when several share it (an index into {@link #sets}). A key's home slot is its hash's
     * low bits as they are: SipHash output needs no further mixing.
     */
    private static final class KeyTable {
        final Object[] texts;
        final int[] hashes;
        final int[] homeys;

        KeyTable(int capacity) {
            texts = new Object[capacity];
            hashes = new int[capacity];
            homeys = new int[capacity];
        }
    }

    private volatile RegistrationTable registrations = new RegistrationTable(4);
    private int registrationCount;
    private volatile KeyTable keys = new KeyTable(4);
    private int keyCount;
    /**
     * Homey sets of shared keys: {@code [count, slots...]}, slots holding handle + 1 (open addressing); a free entry
     * is null and its number is on the free list.
     */
    private volatile int[][] sets = NO_SETS;
    private int[] freeSets = new int[0];
    private int freeSetCount;

    // ---- readers ----------------------------------------------------------------------------------------------

    int size() {
        return registrationCount;
    }

    boolean isEmpty() {
        return registrationCount == 0;
    }

    boolean contains(int homey) {
        return registrationSlot(registrations, homey) >= 0;
    }

    /** Reader: adds the ids of the Homeys registered with {@code key} to {@code into}. */
    void collectHomeysWithKey(String key, int keyHash, HomeyHandles homeys, List<String> into) {
        KeyTable table = keys;
        int slot = keySlot(table, key, keyHash);
        if (slot < 0) {
            return;
        }
        int value = table.homeys[slot];
        if (value >= 0) {
            into.add(homeys.id(value));
            return;
        }
        int[] set = sets[~value];
        for (int i = 1; i < set.length; i++) {
            if (set[i] != 0) {
                into.add(homeys.id(set[i] - 1));
            }
        }
    }

    /** Reader: every registration. */
    void collectAll(HomeyHandles homeys, List<Registration> into) {
        RegistrationTable table = registrations;
        for (int i = 0; i < table.homeys.length; i++) {
            int entry = table.homeys[i];
            if (entry != 0) {
                into.add(new Registration(homeys.id(entry - 1), CompactText.text(table.data[i])));
            }
        }
    }

    /** Reader: the data text of a Homey's registration, or null. */
    Object dataOf(int homey) {
        RegistrationTable table = registrations;
        int slot = registrationSlot(table, homey);
        return slot < 0 ? null : table.data[slot];
    }

    /** Writer: each Homey handle registered here. */
    void forEachHomey(IntConsumer action) {
        int[] homeys = registrations.homeys;
        for (int entry : homeys) {
            if (entry != 0) {
                action.accept(entry - 1);
            }
        }
    }

    // ---- writers ----------------------------------------------------------------------------------------------

    /** Writer, before the write stamp: room for one more registration and {@code newKeys} more key values. */
    void reserve(int newKeys) {
        RegistrationTable regs = registrations;
        if (needsGrowth(registrationCount + 1, regs.homeys.length)) {
            RegistrationTable grown = new RegistrationTable(regs.homeys.length * 2);
            for (int i = 0; i < regs.homeys.length; i++) {
                if (regs.homeys[i] != 0) {
                    int j = homeSlot(regs.homeys[i] - 1, grown.homeys.length);
                    while (grown.homeys[j] != 0) {
                        j = (j + 1) & (grown.homeys.length - 1);
                    }
                    grown.homeys[j] = regs.homeys[i];
                    grown.data[j] = regs.data[i];
                }
            }
            registrations = grown;
        }
        KeyTable table = keys;
        int capacity = table.texts.length;
        while (needsGrowth(keyCount + newKeys, capacity)) {
            capacity *= 2;
        }
        if (capacity != table.texts.length) {
            KeyTable grown = new KeyTable(capacity);
            int mask = capacity - 1;
            for (int i = 0; i < table.texts.length; i++) {
                if (table.texts[i] != null) {
                    int j = table.hashes[i] & mask;
                    while (grown.texts[j] != null) {
                        j = (j + 1) & mask;
                    }
                    grown.texts[j] = table.texts[i];
                    grown.hashes[j] = table.hashes[i];
                    grown.homeys[j] = table.homeys[i];
                }
            }
            keys = grown;
        }
    }

    /** Writer, under the write stamp, after {@link #reserve}: the previous data text of this Homey, or null. */
    Object put(int homey, Object data) {
        RegistrationTable table = registrations;
        int mask = table.homeys.length - 1;
        int i = homeSlot(homey, table.homeys.length);
        while (table.homeys[i] != 0) {
            if (table.homeys[i] == homey + 1) {
                Object previous = table.data[i];
                table.data[i] = data;
                return previous;
            }
            i = (i + 1) & mask;
        }
        table.data[i] = data;
        table.homeys[i] = homey + 1;
        registrationCount++;
        return null;
    }

    /** Writer, under the write stamp: the removed registration's data text, or null if there was none. */
    Object remove(int homey) {
        RegistrationTable table = registrations;
        int slot = registrationSlot(table, homey);
        if (slot < 0) {
            return null;
        }
        Object previous = table.data[slot];
        int mask = table.homeys.length - 1;
        int hole = slot;
        for (int i = (hole + 1) & mask; table.homeys[i] != 0; i = (i + 1) & mask) {
            int home = homeSlot(table.homeys[i] - 1, table.homeys.length);
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                table.homeys[hole] = table.homeys[i];
                table.data[hole] = table.data[i];
                hole = i;
            }
        }
        table.homeys[hole] = 0;
        table.data[hole] = null;
        registrationCount--;
        return previous;
    }

    /** Writer, under the write stamp, after {@link #reserve} counted this key: {@code homey} is reached by it. */
    void index(String key, int keyHash, int homey) {
        KeyTable table = keys;
        int slot = keySlot(table, key, keyHash);
        if (slot < 0) {
            int mask = table.texts.length - 1;
            int i = keyHash & mask;
            while (table.texts[i] != null) {
                i = (i + 1) & mask;
            }
            table.homeys[i] = homey;
            table.hashes[i] = keyHash;
            table.texts[i] = CompactText.of(key);
            keyCount++;
            return;
        }
        int value = table.homeys[slot];
        if (value == homey) {
            return;
        }
        if (value >= 0) {
            int[] set = setAdd(setAdd(new int[1 + 4], value), homey);
            table.homeys[slot] = ~newSet(set);
        } else {
            int[][] all = sets;
            all[~value] = setAdd(all[~value], homey);
        }
    }

    /** Writer, under the write stamp: {@code homey} is no longer reached by {@code key}. */
    void unindex(String key, int keyHash, int homey) {
        KeyTable table = keys;
        int slot = keySlot(table, key, keyHash);
        if (slot < 0) {
            return;
        }
        int value = table.homeys[slot];
        if (value >= 0) {
            if (value == homey) {
                deleteKey(table, slot);
            }
            return;
        }
        int[][] all = sets;
        int[] set = all[~value];
        if (setRemove(set, homey) && set[0] == 1) {
            for (int i = 1; i < set.length; i++) {
                if (set[i] != 0) {
                    table.homeys[slot] = set[i] - 1;
                }
            }
            all[~value] = null;
            freeSet(~value);
        }
    }

    // ---- tables -----------------------------------------------------------------------------------------------

    private static boolean needsGrowth(int entries, int capacity) {
        return entries * 10L > capacity * 7L; // load factor 0.7
    }

    private static int registrationSlot(RegistrationTable table, int homey) {
        int[] homeys = table.homeys;
        int mask = homeys.length - 1;
        for (int i = homeSlot(homey, homeys.length), probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            int entry = homeys[i];
            if (entry == homey + 1) {
                return i;
            }
            if (entry == 0) {
                return -1;
            }
        }
        return -1;
    }

    private static int keySlot(KeyTable table, String key, int keyHash) {
        Object[] texts = table.texts;
        int[] hashes = table.hashes;
        int mask = texts.length - 1;
        for (int i = keyHash & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            Object text = texts[i];
            if (text == null) {
                return -1;
            }
            if (hashes[i] == keyHash && CompactText.equals(text, key)) {
                return i;
            }
        }
        return -1;
    }

    private void deleteKey(KeyTable table, int slot) {
        int mask = table.texts.length - 1;
        int hole = slot;
        for (int i = (hole + 1) & mask; table.texts[i] != null; i = (i + 1) & mask) {
            int home = table.hashes[i] & mask;
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                table.texts[hole] = table.texts[i];
                table.hashes[hole] = table.hashes[i];
                table.homeys[hole] = table.homeys[i];
                hole = i;
            }
        }
        table.texts[hole] = null;
        table.hashes[hole] = 0;
        table.homeys[hole] = 0;
        keyCount--;
    }

    private static int homeSlot(int homey, int capacity) {
        return spread(homey) & (capacity - 1);
    }

    /** MurmurHash3's finalizer: handles are consecutive numbers. */
    private static int spread(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    // ---- Homey sets of shared keys ----------------------------------------------------------------------------

    private int newSet(int[] set) {
        if (freeSetCount > 0) {
            int number = freeSets[--freeSetCount];
            sets[number] = set;
            return number;
        }
        int[][] all = sets;
        int number = all.length;
        int[][] grown = java.util.Arrays.copyOf(all, Math.max(4, all.length * 2));
        for (int i = number + 1; i < grown.length; i++) {
            pushFreeSet(i);
        }
        grown[number] = set;
        sets = grown;
        return number;
    }

    private void freeSet(int number) {
        pushFreeSet(number);
    }

    private void pushFreeSet(int number) {
        if (freeSetCount == freeSets.length) {
            freeSets = java.util.Arrays.copyOf(freeSets, Math.max(4, freeSets.length * 2));
        }
        freeSets[freeSetCount++] = number;
    }

    /** The set with {@code homey} added: the same array, or a larger copy. */
    private static int[] setAdd(int[] set, int homey) {
        int capacity = set.length - 1;
        if ((set[0] + 1) * 2 > capacity) {
            int[] grown = new int[1 + capacity * 2];
            for (int i = 1; i < set.length; i++) {
                if (set[i] != 0) {
                    setInsert(grown, set[i]);
                }
            }
            grown[0] = set[0];
            set = grown;
        }
        if (setInsert(set, homey + 1)) {
            set[0]++;
        }
        return set;
    }

    private static boolean setInsert(int[] set, int entry) {
        int mask = set.length - 2;
        int i = spread(entry) & mask;
        while (set[1 + i] != 0) {
            if (set[1 + i] == entry) {
                return false;
            }
            i = (i + 1) & mask;
        }
        set[1 + i] = entry;
        return true;
    }

    private static boolean setRemove(int[] set, int homey) {
        int mask = set.length - 2;
        int hole = spread(homey + 1) & mask;
        while (set[1 + hole] != homey + 1) {
            if (set[1 + hole] == 0) {
                return false;
            }
            hole = (hole + 1) & mask;
        }
        for (int i = (hole + 1) & mask; set[1 + i] != 0; i = (i + 1) & mask) {
            int home = spread(set[1 + i]) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                set[1 + hole] = set[1 + i];
                hole = i;
            }
        }
        set[1 + hole] = 0;
        set[0]--;
        return true;
    }
}
