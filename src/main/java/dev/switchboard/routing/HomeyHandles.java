package dev.switchboard.routing;

import java.nio.charset.StandardCharsets;

/**
 * Homey ids interned to int handles, shared by every webhook's registrations, so that an id is held once however many
 * webhooks a Homey registered for, and a webhook's tables hold 4-byte handles instead of 64-byte strings. An id in
 * the contract's shape (24 lowercase hex digits) is held as 96 bits in primitive arrays; any other id (tests,
 * imported data) as its string. A handle lives while registrations use it; freed handles are reused.
 *
 * <p>Not thread-safe by itself: {@link CompactRegistrations} serializes writers and validates readers. Growth builds
 * new arrays beside the old ones and publishes them through volatile fields, so a reader holding the old arrays still
 * sees the same content.
 */
final class HomeyHandles {

    private static final int HEX_ID_LENGTH = 24;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    /** First 16 hex digits of each handle's id. */
    private volatile long[] high = new long[8];
    /** Last 8 hex digits of each handle's id. */
    private volatile int[] low = new int[8];
    /** Registrations using each handle; a free handle holds {@code ~nextFree} (0 or less). */
    private volatile int[] uses = new int[8];
    /** Ids not in the contract's shape, by handle; null until the first one. */
    private volatile String[] odd;
    /** Open addressing, linear probing: handle + 1, 0 for empty. */
    private volatile int[] slots = new int[16];

    private int size;
    /** Handles ever handed out; those below it are in use or on the free list. */
    private int limit;
    private int freeHead = -1;

    int size() {
        return size;
    }

    /** The handle of {@code homeyId}, or -1. Safe for validated readers: bounded, may throw on a torn read. */
    int find(String homeyId) {
        int[] table = slots;
        int mask = table.length - 1;
        if (isHexId(homeyId)) {
            long hi = hexValue(homeyId, 0, 16);
            int lo = (int) hexValue(homeyId, 16, 24);
            long[] his = high;
            int[] los = low;
            String[] odds = odd;
            for (int i = hash(hi, lo) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
                int entry = table[i];
                if (entry == 0) {
                    return -1;
                }
                int h = entry - 1;
                if (his[h] == hi && los[h] == lo && (odds == null || odds[h] == null)) {
                    return h;
                }
            }
            return -1;
        }
        String[] odds = odd;
        if (odds == null) {
            return -1;
        }
        for (int i = hash(homeyId) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            int entry = table[i];
            if (entry == 0) {
                return -1;
            }
            if (homeyId.equals(odds[entry - 1])) {
                return entry - 1;
            }
        }
        return -1;
    }

    /** The id of a handle in use. Safe for validated readers. */
    String id(int handle) {
        String[] odds = odd;
        if (odds != null && odds[handle] != null) {
            return odds[handle];
        }
        long hi = high[handle];
        int lo = low[handle];
        byte[] text = new byte[HEX_ID_LENGTH];
        for (int i = 15; i >= 0; i--, hi >>>= 4) {
            text[i] = HEX[(int) (hi & 0xF)];
        }
        for (int i = 23; i >= 16; i--, lo >>>= 4) {
            text[i] = HEX[lo & 0xF];
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    /** Writer, before taking the write stamp: room for one more handle, published so that readers are unaffected. */
    void reserveOne() {
        if (freeHead < 0 && limit == high.length) {
            int capacity = high.length + (high.length >> 1) + 1;
            high = java.util.Arrays.copyOf(high, capacity);
            low = java.util.Arrays.copyOf(low, capacity);
            uses = java.util.Arrays.copyOf(uses, capacity);
            if (odd != null) {
                odd = java.util.Arrays.copyOf(odd, capacity);
            }
        }
        if ((size + 1) * 2L > slots.length) {
            int[] grown = new int[slots.length * 2];
            rehashInto(grown);
            slots = grown;
        }
    }

    /**
     * Writer, under the write stamp, after {@link #reserveOne}: the handle of {@code homeyId} with one more use,
     * interning it if new. {@code found} is what {@link #find} answered for it since the last change (growth keeps
     * handles as they are): looking it up again cost a tenth of loading ten million registrations.
     */
    int acquire(String homeyId, int found) {
        if (found >= 0) {
            uses[found]++;
            return found;
        }
        int handle;
        if (freeHead >= 0) {
            handle = freeHead;
            freeHead = ~uses[handle];
        } else {
            handle = limit++;
        }
        int[] table = slots;
        int mask = table.length - 1;
        int i;
        if (isHexId(homeyId)) {
            long hi = hexValue(homeyId, 0, 16);
            int lo = (int) hexValue(homeyId, 16, 24);
            high[handle] = hi;
            low[handle] = lo;
            i = hash(hi, lo) & mask;
        } else {
            if (odd == null) {
                odd = new String[high.length];
            }
            odd[handle] = homeyId;
            high[handle] = 0;
            low[handle] = 0;
            i = hash(homeyId) & mask;
        }
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = handle + 1;
        uses[handle] = 1;
        size++;
        return handle;
    }

    /** Writer, under the write stamp: one use fewer; the handle is freed with its last use. */
    void release(int handle) {
        if (--uses[handle] > 0) {
            return;
        }
        int[] table = slots;
        int mask = table.length - 1;
        int i = hashOf(handle) & mask;
        while (table[i] != handle + 1) {
            i = (i + 1) & mask;
        }
        deleteSlot(table, i);
        if (odd != null) {
            odd[handle] = null;
        }
        uses[handle] = ~freeHead;
        freeHead = handle;
        size--;
    }

    /** Backward-shift deletion: linear probing without tombstones. */
    private void deleteSlot(int[] table, int hole) {
        int mask = table.length - 1;
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            int entry = table[i];
            if (entry == 0) {
                break;
            }
            int home = hashOf(entry - 1) & mask;
            // The entry may move into the hole unless its home lies cyclically in (hole, i].
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                table[hole] = entry;
                hole = i;
            }
        }
        table[hole] = 0;
    }

    private void rehashInto(int[] grown) {
        int mask = grown.length - 1;
        for (int entry : slots) {
            if (entry != 0) {
                int i = hashOf(entry - 1) & mask;
                while (grown[i] != 0) {
                    i = (i + 1) & mask;
                }
                grown[i] = entry;
            }
        }
    }

    private int hashOf(int handle) {
        String[] odds = odd;
        return odds != null && odds[handle] != null ? hash(odds[handle]) : hash(high[handle], low[handle]);
    }

    private static int hash(long hi, int lo) {
        long x = hi * 0x9E3779B97F4A7C15L + lo;
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        return (int) x;
    }

    private static int hash(String odd) {
        int h = odd.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    static boolean isHexId(String id) {
        if (id.length() != HEX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_ID_LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static long hexValue(String id, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = id.charAt(i);
            value = value << 4 | (c <= '9' ? c - '0' : c - 'a' + 10);
        }
        return value;
    }
}
