package dev.switchboard.delivery.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.routing.RoutedBy;
import dev.switchboard.problem.Problem.FieldError;
import dev.switchboard.problem.ProblemException;

class DeliveryFilterTest {

    static final String HOMEY = "0123456789abcdef01234567";
    static final Instant AT = Instant.parse("2026-11-27T05:00:00.123Z");

    @Test
    void blankParametersMeanNoFilter() {
        DeliveryFilter filter = DeliveryFilter.parse("", " ", null, "", null, "");
        assertTrue(filter.isEmpty());
        assertTrue(filter.onlyTimeRange());
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-27T05:00:00Z, 2026-11-27T05:00:00Z",
            "2026-11-27T06:00:00+01:00, 2026-11-27T05:00:00Z",
            "2026-11-27T05:00, 2026-11-27T05:00:00Z",
            "2026-11-27T05:00:30, 2026-11-27T05:00:30Z",
            "2026-11-27, 2026-11-27T00:00:00Z" })
    void timesAreIsoWithOrWithoutZoneAndUtcWhenNoneIsGiven(String given, String expected) {
        assertEquals(Instant.parse(expected), DeliveryFilter.parse(null, null, null, given, null, null).from());
    }

    @Test
    void everyInvalidFieldIsNamed() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> DeliveryFilter.parse("lost", "magic", "ABC", "yesterday", "soon", "x".repeat(201)));
        assertEquals(422, e.problem().status());
        assertEquals(List.of("outcome", "rule", "homeyId", "from", "to", "q"),
                e.problem().errors().stream().map(FieldError::field).toList());
    }

    @Test
    void toMustBeAfterFrom() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> DeliveryFilter.parse(null, null, null, "2026-11-27T05:00:00Z", "2026-11-27T05:00:00Z", null));
        assertEquals("to", e.problem().errors().get(0).field());
    }

    @ParameterizedTest
    @CsvSource({ ",50", "1,1", "200,200", "' 7 ',7" })
    void limitDefaultsTo50AndStaysWithin200(String given, int expected) {
        assertEquals(expected, DeliveryFilter.limit(given));
    }

    @ParameterizedTest
    @CsvSource({ "0", "201", "-1", "ten", "1.5" })
    void limitOutsideTheRangeIs422(String given) {
        ProblemException e = assertThrows(ProblemException.class, () -> DeliveryFilter.limit(given));
        assertEquals("limit", e.problem().errors().get(0).field());
    }

    @Test
    void queryCollectsTheErrorsOfEveryParameter() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> DeliveryQuery.parse("lost", null, null, null, null, null, "not a cursor", "0"));
        assertEquals(List.of("outcome", "cursor", "limit"), e.problem().errors().stream().map(FieldError::field).toList());
    }

    @Test
    void aNewDeliveryIsAdmittedByTheLiveViewOnlyIfItsFilterWouldListIt() {
        DeliveryRecord toHomey = record(RoutedBy.HOMEY_QUERY, "{\"note\":\"hello world\"}", HOMEY);
        DeliveryRecord toNobody = record(RoutedBy.KEY_PATH, "{\"note\":\"bye\"}");

        assertTrue(DeliveryFilter.NONE.admits(toHomey));
        assertTrue(filter("pending", null, null, null, null, null).admits(toHomey));
        assertFalse(filter("acked", null, null, null, null, null).admits(toHomey));
        assertFalse(filter("pending", null, null, null, null, null).admits(toNobody));
        assertTrue(filter("no_match", null, null, null, null, null).admits(toNobody));
        assertTrue(filter(null, "homey_query", null, null, null, null).admits(toHomey));
        assertFalse(filter(null, "key_path", null, null, null, null).admits(toHomey));
        assertTrue(filter(null, null, HOMEY, null, null, null).admits(toHomey));
        assertFalse(filter(null, null, HOMEY, null, null, null).admits(toNobody));
        assertTrue(filter(null, null, null, null, null, "lo wor").admits(toHomey));
        assertFalse(filter(null, null, null, null, null, "Hello").admits(toHomey));
        assertTrue(filter(null, null, null, "2026-11-27T05:00:00.123Z", null, null).admits(toHomey));
        assertFalse(filter(null, null, null, null, "2026-11-27T05:00:00.123Z", null).admits(toHomey));
    }

    @Test
    void aDeliveryRecordedElsewhereIsJudgedByItsSummaryAsItsRecordWouldBe() {
        DeliveryRecord toHomey = record(RoutedBy.HOMEY_QUERY, "{\"note\":\"hello world\"}", HOMEY);
        DeliveryRecord toNobody = record(RoutedBy.KEY_PATH, "{\"note\":\"bye\"}");
        // Read back a moment later: the Homey has acknowledged already, but the row is new to the page.
        DeliverySummary toHomeyRead = new DeliverySummary(toHomey.id(), "w", AT, "POST", null, 22,
                RoutedBy.HOMEY_QUERY, 1, Map.of("acked", 1), null);
        DeliverySummary toNobodyRead = DeliverySummary.of(toNobody);
        List<DeliveryFilter> decidable = List.of(DeliveryFilter.NONE, filter("pending", null, null, null, null, null),
                filter("acked", null, null, null, null, null), filter("no_match", null, null, null, null, null),
                filter(null, "homey_query", null, null, null, null), filter(null, "key_path", null, null, null, null),
                filter(null, null, null, "2026-11-27T05:00:00.123Z", null, null),
                filter(null, null, null, null, "2026-11-27T05:00:00.123Z", null));
        for (DeliveryFilter f : decidable) {
            assertTrue(f.decidesOnSummaries(), f.toString());
            assertEquals(f.admits(toHomey), f.admits(toHomeyRead), f.toString());
            assertEquals(f.admits(toNobody), f.admits(toNobodyRead), f.toString());
        }
        assertFalse(filter(null, null, HOMEY, null, null, null).decidesOnSummaries());
        assertFalse(filter(null, null, null, null, null, "hello").decidesOnSummaries());
    }

    @Test
    void cursorsRoundTripAndRejectAnythingElse() {
        String id = DeliveryIds.next(AT);
        String cursor = DeliveryCursor.of(id);
        assertFalse(cursor.contains(id), "opaque");
        assertEquals(id, DeliveryCursor.parse(cursor));
        assertNull(DeliveryCursor.parse(""));
        for (String bad : List.of("!!", "abc", DeliveryCursor.of(id) + "AA", id)) {
            ProblemException e = assertThrows(ProblemException.class, () -> DeliveryCursor.parse(bad), bad);
            assertEquals("cursor", e.problem().errors().get(0).field());
        }
    }

    private static DeliveryFilter filter(String outcome, String rule, String homeyId, String from, String to,
            String q) {
        return DeliveryFilter.parse(outcome, rule, homeyId, from, to, q);
    }

    private static DeliveryRecord record(RoutedBy rule, String body, String... homeys) {
        return new DeliveryRecord(DeliveryIds.next(AT), "aaaaaaaaaaaaaaaaaaaaaaaa", AT, "POST",
                JsonNodeFactory.instance.objectNode(), null, "application/json",
                body.getBytes(StandardCharsets.UTF_8), rule, null, List.of(homeys), null);
    }
}
