package dev.switchboard.delivery.log;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** The log's bounds, with small limits so that they show: a bounded search continues by cursor, busy hours are estimated. */
@QuarkusTest
class DeliveryLogTest {

    @Inject
    DataSource dataSource;
    @Inject
    ObjectMapper mapper;
    @Inject
    Clock clock;

    @Test
    void aRareMatchIsFoundPageByPageWithinTheScanLimit() {
        Webhooks webhook = Webhooks.create("log-bounds");
        String needle = post(webhook, "{\"note\":\"needle\"}");
        List<String> hay = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            hay.add(post(webhook, "{\"note\":\"hay\"}"));
        }
        DeliveryLog log = log(3, 1000);
        DeliveryFilter needleOnly = DeliveryFilter.parse(null, null, null, null, null, "needle");

        List<String> found = new ArrayList<>();
        int calls = 0;
        String after = null;
        boolean limited = false;
        do {
            DeliveryPage page = log.page(webhook.id, needleOnly, after, 2);
            page.items().forEach(item -> found.add(item.id()));
            limited |= page.searchLimited();
            after = page.nextCursor() == null ? null : DeliveryCursor.parse(page.nextCursor());
            calls++;
        } while (after != null && calls < 10);

        assertEquals(List.of(needle), found);
        assertTrue(limited, "8 rows, 3 examined per call");
        assertEquals(3, calls, "3 + 3 + 2 rows");

        // Without row filters every row is a match, and the page size alone bounds the work.
        DeliveryPage newest = log.page(webhook.id, DeliveryFilter.NONE, null, 4);
        assertEquals(4, newest.items().size());
        assertFalse(newest.searchLimited());
        assertEquals(hay.get(6), newest.items().get(0).id());
        assertNotNull(newest.nextCursor());
    }

    @Test
    void statsCountRequestsMessagesAndOutcomesAndEstimateBusyHours() {
        Webhooks webhook = Webhooks.create("log-stats").keyPath("body.device");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"lamp\"}");
        }
        for (int i = 0; i < 3; i++) {
            post(webhook, "{\"device\":\"lamp\"}");
        }
        post(webhook, "{\"device\":\"fridge\"}");
        post(webhook, "{\"device\":\"fridge\"}");

        DeliveryStats exact = log(5000, 1000).stats(webhook.id);
        assertEquals(24, exact.hours().size());
        assertEquals(5, exact.totalRequests());
        assertEquals(3, exact.totalDeliveries());
        assertFalse(exact.anyEstimated());
        assertEquals(Map.of("pending", 3L, "no_match", 2L), exact.outcomes());
        assertEquals(5, exact.sampled());
        assertEquals(List.of("pending", "no_match"), List.copyOf(exact.outcomes().keySet()));

        DeliveryStats bounded = log(5000, 2).stats(webhook.id);
        assertTrue(bounded.anyEstimated());
        assertTrue(bounded.totalRequests() >= 2, "extrapolated from the newest 2: " + bounded.totalRequests());
    }

    @Test
    void aDeliveryOfAnotherWebhookIsNotFound() {
        Webhooks one = Webhooks.create("log-scope");
        Webhooks other = Webhooks.create("log-scope");
        String id = post(one, "{}");
        DeliveryLog log = log(5000, 1000);
        assertTrue(log.find(one.id, id).isPresent());
        assertTrue(log.find(other.id, id).isEmpty());
        assertTrue(log.find(one.id, "zz").isEmpty());
        assertNull(log.page(other.id, DeliveryFilter.NONE, null, 50).nextCursor());
    }

    private DeliveryLog log(int scanLimit, int rowsPerHour) {
        DeliveryLogConfig config = new DeliveryLogConfig() {
            public int scanLimit() {
                return scanLimit;
            }

            public int targetsCountedPerDelivery() {
                return 1000;
            }

            public int targetsShown() {
                return 500;
            }

            public int statsRowsPerHour() {
                return rowsPerHour;
            }

            public int statsOutcomeSample() {
                return 1000;
            }

            public Duration queryTimeout() {
                return Duration.ofSeconds(5);
            }

            public int liveMaxPendingChanges() {
                return 10_000;
            }
        };
        return new DeliveryLog(dataSource, mapper, config, clock);
    }

    private static String post(Webhooks webhook, String json) {
        return given().contentType("application/json").body(json).post(webhook.url()).then().statusCode(200)
                .extract().path("deliveryId");
    }
}
