package dev.switchboard.routing;

import java.security.SecureRandom;

/**
 * The hash of key values in the registration index: SipHash-2-4 of the value's UTF-16 code units (little-endian, as
 * Guava's {@code hashUnencodedChars}) under a random 128-bit key drawn when the index is made. Homeys choose their
 * keys, and {@code String.hashCode} collisions are trivial to make ({@code "Aa"} and {@code "BB"} collide, and so do
 * all 2^n strings made of n such pairs): a Homey subscribing with thousands of colliding {@code $keys} would turn the
 * webhook's key table into one long probe chain that every sender request for that webhook walks. Without the key,
 * colliding values cannot be chosen in advance.
 */
final class KeyHash {

    private final long k0;
    private final long k1;

    KeyHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /**
     * A key drawn now, from a generator made now: nothing static, so a native image initialised at build time does not
     * carry one key (or one seeded generator) for all its processes. Called once per index.
     */
    static KeyHash random() {
        SecureRandom seeds = new SecureRandom();
        return new KeyHash(seeds.nextLong(), seeds.nextLong());
    }

    int of(String value) {
        long h = sipHash24(value);
        return (int) (h ^ (h >>> 32));
    }

    long sipHash24(String value) {
        SipState state = new SipState(k0, k1);
        int length = value.length();
        int whole = length & ~3;
        for (int i = 0; i < whole; i += 4) {
            state.absorb(value.charAt(i) | (long) value.charAt(i + 1) << 16 | (long) value.charAt(i + 2) << 32
                    | (long) value.charAt(i + 3) << 48);
        }
        long last = (long) (2 * length & 0xff) << 56; // the message's length in bytes, mod 256
        for (int i = whole; i < length; i++) {
            last |= (long) value.charAt(i) << (16 * (i - whole));
        }
        state.absorb(last);
        return state.finish();
    }

    /** SipHash's four words of state (does not escape a call, so the JIT keeps it in registers). */
    private static final class SipState {
        private long v0;
        private long v1;
        private long v2;
        private long v3;

        SipState(long k0, long k1) {
            v0 = k0 ^ 0x736f6d6570736575L;
            v1 = k1 ^ 0x646f72616e646f6dL;
            v2 = k0 ^ 0x6c7967656e657261L;
            v3 = k1 ^ 0x7465646279746573L;
        }

        void absorb(long word) {
            v3 ^= word;
            rounds(2);
            v0 ^= word;
        }

        long finish() {
            v2 ^= 0xff;
            rounds(4);
            return v0 ^ v1 ^ v2 ^ v3;
        }

        private void rounds(int count) {
            for (int round = 0; round < count; round++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
        }
    }
}
