package dev.switchboard.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.routing.RoutedBy;

/** What a node tells the others of the deliveries it recorded, for their live delivery log pages. */
class ClusterDeliveriesTest {

    private static final String W1 = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String W2 = "bbbbbbbbbbbbbbbbbbbbbbbb";

    @Test
    void theIdsRecordedSinceTheLastMessageTravelByWebhookOnce() {
        ClusterDeliveries deliveries = new ClusterDeliveries(true);
        DeliveryRecord a = record(W1);
        DeliveryRecord b = record(W2);
        DeliveryRecord c = record(W1);
        deliveries.recorded(a);
        deliveries.recorded(b);
        deliveries.recorded(c);

        String field = deliveries.take();
        assertEquals(Map.of(W1, List.of(a.id(), c.id()), W2, List.of(b.id())), ClusterDeliveries.decode(field));
        assertEquals(field, ClusterBus.decode(ClusterBus.encode(ClusterBus.RECORDED, "node-a", field),
                ClusterBus.fieldCount(ClusterBus.RECORDED)).fields()[0]);
        assertNull(deliveries.take(), "nothing new, no message");
    }

    @Test
    void aBusyWebhookIsNamedWithoutItsIdsSoPagesReadTheirRowsAgain() {
        ClusterDeliveries deliveries = new ClusterDeliveries(true);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ClusterDeliveries.IDS_PER_WEBHOOK; i++) {
            DeliveryRecord record = record(W1);
            ids.add(record.id());
            deliveries.recorded(record);
        }
        deliveries.recorded(record(W2));
        assertEquals(ids, ClusterDeliveries.decode(deliveries.take()).get(W1), "up to the limit, listed");

        for (int i = 0; i <= ClusterDeliveries.IDS_PER_WEBHOOK; i++) {
            deliveries.recorded(record(W1));
        }
        assertEquals(Map.of(W1, List.of()), ClusterDeliveries.decode(deliveries.take()));
    }

    @Test
    void aSingleNodeGathersNothing() {
        ClusterDeliveries deliveries = new ClusterDeliveries(false);
        deliveries.recorded(record(W1));
        assertNull(deliveries.take());
    }

    @Test
    void aMalformedListIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClusterDeliveries.decode("no-equals-sign"));
        assertThrows(IllegalArgumentException.class, () -> ClusterDeliveries.decode("=abc"));
    }

    private static DeliveryRecord record(String webhookId) {
        return new DeliveryRecord(DeliveryIds.next(Instant.now()), webhookId, Instant.now(), "POST",
                JsonNodeFactory.instance.objectNode(), null, "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), RoutedBy.HOMEY_QUERY, null, List.of(), null);
    }
}
