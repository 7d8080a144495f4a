package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.common.hash.Hashing;

/** The registration index's key hash: SipHash-2-4 as specified, and no use to someone making colliding keys. */
class KeyHashTest {

    @Test
    void emptyInputGivesTheReferenceVectorOfTheSipHashPaper() {
        // Key 00 01 ... 0f, empty message: 0x726fdb47dd0e0e31 (Aumasson and Bernstein, appendix A).
        KeyHash hash = new KeyHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
        assertEquals(0x726fdb47dd0e0e31L, hash.sipHash24(""));
    }

    @Test
    void agreesWithGuavasSipHashOfTheSameCharacters() {
        Random random = new Random(42);
        for (int n = 0; n < 2_000; n++) {
            long k0 = random.nextLong();
            long k1 = random.nextLong();
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                boolean ascii = random.nextInt(4) != 0;
                value.append(ascii ? (char) (' ' + random.nextInt(95)) : (char) random.nextInt(0x10000));
            }
            long expected = Hashing.sipHash24(k0, k1).hashUnencodedChars(value).asLong();
            assertEquals(expected, new KeyHash(k0, k1).sipHash24(value.toString()), "for " + value.length() + " chars");
        }
    }

    @Test
    void keysThatShareAStringHashCodeSpreadOverKeyedHashes() {
        List<String> colliding = stringHashCodeCollisions(12);
        assertEquals(1, colliding.stream().map(String::hashCode).distinct().count());

        KeyHash hash = KeyHash.random();
        Set<Integer> hashes = new HashSet<>();
        colliding.forEach(key -> hashes.add(hash.of(key)));
        // 4,096 random 32-bit values collide about 0.002 times in all: a handful is already suspicious.
        assertTrue(hashes.size() >= colliding.size() - 4, hashes.size() + " distinct of " + colliding.size());
    }

    /** All 2^pairs strings made of "Aa" and "BB" pairs: they share one {@code String.hashCode}. */
    static List<String> stringHashCodeCollisions(int pairs) {
        List<String> keys = new ArrayList<>();
        for (int bits = 0; bits < 1 << pairs; bits++) {
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < pairs; i++) {
                key.append((bits >> i & 1) == 0 ? "Aa" : "BB");
            }
            keys.add(key.toString());
        }
        return keys;
    }
}
