package dev.switchboard.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeliveryIdsTest {

    @ParameterizedTest
    @ValueSource(strings = { "1970-01-01T00:00:00Z", "2026-12-06T03:02:05.123Z", "9999-12-31T23:59:59.999Z" })
    void anIdStartsWithItsReceiveTimeInTwelveHexDigitsAndGivesItBack(String time) {
        Instant receivedAt = Instant.parse(time);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = DeliveryIds.next(receivedAt);
            assertTrue(DeliveryIds.isWellFormed(id), id);
            assertEquals(String.format("%012x", receivedAt.toEpochMilli()), id.substring(0, 12));
            assertEquals(receivedAt, DeliveryIds.timeOf(id));
            ids.add(id);
        }
        assertEquals(1_000, ids.size(), "the random half tells requests of one millisecond apart");
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 999, 1_000 })
    void idsSortByTime(long laterBy) {
        Instant earlier = Instant.parse("2026-12-06T03:02:05.123Z");
        String first = DeliveryIds.next(earlier);
        String second = DeliveryIds.next(earlier.plusMillis(laterBy));
        assertNotEquals(first, second);
        assertTrue(first.compareTo(second) < 0, first + " sorts before " + second);
    }
}
