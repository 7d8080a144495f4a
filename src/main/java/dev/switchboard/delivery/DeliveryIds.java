package dev.switchboard.delivery;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivery IDs: 24 lowercase hex characters, the first 12 the receive time in epoch milliseconds, the rest random.
 * Sorting by ID sorts by time, and the ID alone finds the day partition its rows live in.
 */
public final class DeliveryIds {

    /** Characters in an ID. */
    public static final int LENGTH = 24;

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private DeliveryIds() {
    }

    /** A new ID for a request received at {@code receivedAt} (truncated to the millisecond). */
    public static String next(Instant receivedAt) {
        // 48 bits each: the time, then randomness. Not a secret (senders and Homeys see it), only unlikely to repeat.
        char[] id = new char[LENGTH];
        hex(receivedAt.toEpochMilli(), id, 0);
        hex(ThreadLocalRandom.current().nextLong(), id, LENGTH / 2);
        return new String(id);
    }

    /** The receive time encoded in an ID; {@code id} must be well-formed. */
    public static Instant timeOf(String id) {
        return Instant.ofEpochMilli(Long.parseLong(id, 0, LENGTH / 2, 16));
    }

    /** The low 48 bits of {@code value} as 12 lowercase hex digits at {@code at}. */
    private static void hex(long value, char[] into, int at) {
        for (int i = LENGTH / 2 - 1; i >= 0; i--) {
            into[at + i] = HEX_DIGITS[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    public static boolean isWellFormed(String id) {
        if (id == null || id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
