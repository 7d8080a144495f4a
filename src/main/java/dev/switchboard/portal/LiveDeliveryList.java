package dev.switchboard.portal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.delivery.log.DeliveryFeed;
import dev.switchboard.delivery.log.DeliveryPage;
import dev.switchboard.delivery.log.DeliverySummary;

/**
 * One open delivery list as its live stream sees it: which rows the browser shows, and so which of the feed's
 * events concern it, in an order that never shows an older state over a newer one.
 *
 * <p>The stream subscribes to the feed first and reads the page ({@link Snapshot}) second, so nothing committed
 * between rendering the page and subscribing is missed. Events that arrive before that read are held back and
 * follow it: each one was read after its own commit, so applied after the snapshot it can only repeat it or be
 * newer.
 *
 * <p>When the feed lost changes ({@link DeliveryFeed.Missed}) the stream is told to {@link ReadAgain}: it reads the
 * page as it did for the first snapshot and hands that in, which replaces the rows again. A loss heard before the
 * first snapshot still asks for this once after it, since that snapshot may have been read before the lost change
 * was committed. Not thread-safe: a stream hands it one input at a time.
 */
final class LiveDeliveryList {

    /** Rows a page keeps while open; the oldest go first (the page's script trims the same way). */
    static final int MAX_ROWS = 500;

    /** What the stream takes in, and passes on to the browser when it concerns the page; or {@link ReadAgain}. */
    sealed interface Input permits Snapshot, FeedEvent, ReadAgain {
    }

    /** The page as read after subscribing: it replaces the rows the browser has. */
    record Snapshot(DeliveryPage page) implements Input {
    }

    /**
     * A new delivery ({@link DeliveryFeed.Recorded}), a changed one ({@link DeliveryFeed.Changed}) or lost changes
     * ({@link DeliveryFeed.Missed}, never passed on).
     */
    record FeedEvent(DeliveryFeed.Event event) implements Input {
    }

    /** Not for the browser: the stream must read the page again and hand it in as a {@link Snapshot}. */
    record ReadAgain() implements Input {
    }

    private final boolean showsNewDeliveries;
    /** IDs of the rows the browser shows, oldest first. */
    private final Set<String> shown = new LinkedHashSet<>();
    /** Events that came before the snapshot; null once it has passed. */
    private List<FeedEvent> held = new ArrayList<>();

    /** @param showsNewDeliveries true for the newest page, where new deliveries are added at the top */
    LiveDeliveryList(boolean showsNewDeliveries) {
        this.showsNewDeliveries = showsNewDeliveries;
    }

    /** What the browser must be sent for {@code input}, in order; often nothing. */
    List<Input> take(Input input) {
        if (input instanceof Snapshot snapshot) {
            return afterSnapshot(snapshot);
        }
        FeedEvent event = (FeedEvent) input;
        if (held != null) {
            held.add(event);
            return List.of();
        }
        if (event.event() instanceof DeliveryFeed.Missed) {
            return List.of(new ReadAgain());
        }
        return concerns(event.event()) ? List.of(event) : List.of();
    }

    private List<Input> afterSnapshot(Snapshot snapshot) {
        shown.clear();
        List<DeliverySummary> newestFirst = snapshot.page().items();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            show(newestFirst.get(i).id());
        }
        List<Input> updates = new ArrayList<>();
        updates.add(snapshot);
        List<FeedEvent> waiting = held == null ? List.of() : held;
        held = null;
        boolean missed = false;
        for (FeedEvent event : waiting) {
            if (event.event() instanceof DeliveryFeed.Missed) {
                missed = true;
            } else if (concerns(event.event())) {
                updates.add(event);
            }
        }
        if (missed) {
            updates.add(new ReadAgain());
        }
        return updates;
    }

    private boolean concerns(DeliveryFeed.Event event) {
        if (event instanceof DeliveryFeed.Recorded recorded) {
            String id = recorded.summary().id();
            // Already shown when the snapshot was read after its commit.
            if (!showsNewDeliveries || shown.contains(id)) {
                return false;
            }
            show(id);
            return true;
        }
        return event instanceof DeliveryFeed.Changed changed && shown.contains(changed.summary().id());
    }

    private void show(String id) {
        shown.add(id);
        if (shown.size() > MAX_ROWS) {
            Iterator<String> oldest = shown.iterator();
            oldest.next();
            oldest.remove();
        }
    }
}
