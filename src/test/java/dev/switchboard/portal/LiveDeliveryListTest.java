package dev.switchboard.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.switchboard.routing.RoutedBy;
import dev.switchboard.delivery.log.DeliveryFeed;
import dev.switchboard.delivery.log.DeliveryPage;
import dev.switchboard.delivery.log.DeliverySummary;
import dev.switchboard.portal.LiveDeliveryList.FeedEvent;
import dev.switchboard.portal.LiveDeliveryList.Input;
import dev.switchboard.portal.LiveDeliveryList.ReadAgain;
import dev.switchboard.portal.LiveDeliveryList.Snapshot;

class LiveDeliveryListTest {

    @Test
    void eventsBeforeTheSnapshotFollowItInOrder() {
        LiveDeliveryList list = new LiveDeliveryList(true);
        Snapshot snapshot = snapshot("b", "a");
        FeedEvent added = recorded("c");
        FeedEvent changedA = changed("a", "delivered");
        FeedEvent changedAAgain = changed("a", "acked");

        assertEquals(List.of(), list.take(added));
        assertEquals(List.of(), list.take(changedA));
        assertEquals(List.of(), list.take(changedAAgain));
        assertEquals(List.of(snapshot, added, changedA, changedAAgain), list.take(snapshot));
    }

    @Test
    void aNewDeliveryTheSnapshotAlreadyShowsIsNotAddedAgain() {
        LiveDeliveryList list = new LiveDeliveryList(true);
        FeedEvent alreadyShown = recorded("b");
        list.take(alreadyShown);
        assertEquals(List.of(snapshot("b", "a")), list.take(snapshot("b", "a")));
        assertEquals(List.of(), list.take(recorded("a")));
    }

    @Test
    void onlyChangesOfShownRowsAreSentAndARowAddedLiveIsShown() {
        LiveDeliveryList list = new LiveDeliveryList(true);
        list.take(snapshot("a"));
        assertEquals(List.of(), list.take(changed("elsewhere", "acked")));
        FeedEvent changedA = changed("a", "acked");
        assertEquals(List.of(changedA), list.take(changedA));

        FeedEvent added = recorded("b");
        assertEquals(List.of(added), list.take(added));
        FeedEvent changedB = changed("b", "acked");
        assertEquals(List.of(changedB), list.take(changedB));
    }

    @Test
    void anOlderPageAddsNoNewDeliveriesButFollowsItsOwn() {
        LiveDeliveryList list = new LiveDeliveryList(false);
        list.take(snapshot("a"));
        assertEquals(List.of(), list.take(recorded("new")));
        assertEquals(List.of(), list.take(changed("new", "acked")));
        FeedEvent changedA = changed("a", "acked");
        assertEquals(List.of(changedA), list.take(changedA));
    }

    @Test
    void theOldestRowsAreForgottenBeyondWhatThePageKeeps() {
        LiveDeliveryList list = new LiveDeliveryList(true);
        list.take(snapshot("oldest"));
        for (int i = 0; i < LiveDeliveryList.MAX_ROWS; i++) {
            list.take(recorded("new-" + i));
        }
        assertEquals(List.of(), list.take(changed("oldest", "acked")));
        FeedEvent changedNext = changed("new-0", "acked");
        assertEquals(List.of(changedNext), list.take(changedNext));
    }

    @Test
    void lostChangesAfterTheSnapshotAskForThePageAgain() {
        LiveDeliveryList list = new LiveDeliveryList(true);
        list.take(snapshot("a"));
        assertEquals(List.of(new ReadAgain()), list.take(missed()));

        Snapshot readAgain = snapshot("b", "a");
        assertEquals(List.of(readAgain), list.take(readAgain));
        FeedEvent changedB = changed("b", "acked");
        assertEquals(List.of(changedB), list.take(changedB), "the rows read again are followed");
    }

    @Test
    void lostChangesBeforeTheSnapshotAskForThePageAgainAfterTheHeldEvents() {
        LiveDeliveryList list = new LiveDeliveryList(true);
        Snapshot snapshot = snapshot("a");
        FeedEvent changedA = changed("a", "delivered");
        FeedEvent added = recorded("b");

        assertEquals(List.of(), list.take(changedA));
        assertEquals(List.of(), list.take(missed()));
        assertEquals(List.of(), list.take(added));
        assertEquals(List.of(snapshot, changedA, added, new ReadAgain()), list.take(snapshot));
    }

    @Test
    void lostChangesHeardTwiceBeforeTheSnapshotAskOnce() {
        LiveDeliveryList list = new LiveDeliveryList(true);
        Snapshot snapshot = snapshot("a");
        list.take(missed());
        list.take(missed());
        assertEquals(List.of(snapshot, new ReadAgain()), list.take(snapshot));
    }

    private static FeedEvent missed() {
        return new FeedEvent(new DeliveryFeed.Missed());
    }

    private static Snapshot snapshot(String... newestFirst) {
        List<DeliverySummary> items = new ArrayList<>();
        Stream.of(newestFirst).forEach(id -> items.add(summary(id, "pending")));
        return new Snapshot(new DeliveryPage(items, null, false));
    }

    private static FeedEvent recorded(String id) {
        return new FeedEvent(new DeliveryFeed.Recorded(summary(id, "pending")));
    }

    private static FeedEvent changed(String id, String state) {
        return new FeedEvent(new DeliveryFeed.Changed(summary(id, state)));
    }

    private static DeliverySummary summary(String id, String state) {
        return new DeliverySummary(id, "webhook", Instant.EPOCH, "POST", null, 0, RoutedBy.HOMEY_QUERY, 1,
                Map.of(state, 1), null);
    }
}
