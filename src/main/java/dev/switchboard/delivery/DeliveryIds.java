package dev.switchboard.delivery;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Delivery IDs: 24 lowercase hex characters, the first 12 the receive time in epoch milliseconds, the rest random.
 * Sorting by ID sorts by time, and the ID alone finds the day partition its rows live in.
 */
public final class DeliveryIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private DeliveryIds() {
    }

    /** A new ID for a request received at {@code receivedAt} (truncated to the millisecond). */
    public static String next(Instant receivedAt) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return String.format("%012x", receivedAt.toEpochMilli()) + HEX.formatHex(random);
    }

    /** The receive time encoded in an ID; {@code id} must be well-formed. */
    public static Instant timeOf(String id) {
        return Instant.ofEpochMilli(Long.parseLong(id.substring(0, 12), 16));
    }

    public static boolean isWellFormed(String id) {
        if (id == null || id.length() != 24) {
            return false;
        }
        for (int i = 0; i < 24; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
