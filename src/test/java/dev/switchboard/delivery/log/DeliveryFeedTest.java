package dev.switchboard.delivery.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.routing.RoutedBy;

/** The feed's own bookkeeping, with the log it re-reads from faked: what watchers hear when changes are lost. */
class DeliveryFeedTest {

    /** How the fake log answers a re-read. */
    private interface Reads {
        List<DeliverySummary> summaries(Collection<String> deliveryIds) throws InterruptedException;
    }

    private DeliveryFeed feed;

    @AfterEach
    void stopTheFeed() {
        if (feed != null) {
            feed.onShutdown(null);
        }
    }

    @Test
    void changesDroppedOverTheCapTellEveryWatcherOnceAfterTheRefresh() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        feed = new DeliveryFeed(log(ids -> {
            reading.countDown();
            goOn.await();
            return ofWebhook("w1", ids);
        }), 2);
        Heard w1 = watch("w1");
        Heard w2 = watch("w2");

        feed.committed(List.of("a"));
        assertTrue(reading.await(5, TimeUnit.SECONDS), "the feed's thread re-reads a");
        feed.committed(List.of("b", "c")); // waits, at the cap
        feed.committed(List.of("d")); // dropped
        feed.committed(List.of("e")); // dropped too
        goOn.countDown();
        w1.until("missed");
        feed.committed(List.of("f"));
        w1.until("changed f");
        feed.committed(List.of("g")); // heard once the refresh of f has finished
        w1.until("changed g");

        assertEquals(List.of("changed a", "changed b", "changed c", "missed", "changed f", "changed g"), w1.all);
        assertEquals(List.of("missed"), w2.rest(), "a watcher of another webhook may have missed changes too");
    }

    @Test
    void aFailedReReadTellsTheWatchersOfTheWebhooksItCovered() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        feed = new DeliveryFeed(log(ids -> {
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("connection refused");
            }
            return ofWebhook("w1", ids);
        }), 10);
        Heard w1 = watch("w1");

        feed.committed(List.of("a"));
        w1.until("missed");
        feed.committed(List.of("b"));
        w1.until("changed b");

        assertEquals(List.of("missed", "changed b"), w1.all);
    }

    @Test
    void deliveriesRecordedElsewhereAreReadBackAsNewRowsOrTellAFilteredPageToReadAgain() throws Exception {
        List<Collection<String>> reads = new CopyOnWriteArrayList<>();
        feed = new DeliveryFeed(log(ids -> {
            reads.add(List.copyOf(ids));
            // Read back newest first, as a database may: the feed shows them oldest first all the same.
            List<DeliverySummary> newestFirst = new ArrayList<>(ofWebhook("w1", ids));
            Collections.reverse(newestFirst);
            return newestFirst;
        }), 10);
        Heard all = watch("w1");
        Heard homeyFiltered = watch("w1", new DeliveryFilter(null, null, "homey-1", null, null, null));
        Heard noMatchOnly = watch("w1", new DeliveryFilter(DeliveryFilter.NO_MATCH, null, null, null, null, null));
        Heard other = watch("w2");

        feed.recordedElsewhere(Map.of("w1", List.of("b", "a"), "w3", List.of("z")));
        all.until("recorded b");
        homeyFiltered.until("missed");
        feed.recordedElsewhere(Map.of("w1", List.of())); // more than the other node listed
        all.until("missed");

        assertEquals(List.of("recorded a", "recorded b", "missed"), all.all);
        assertEquals(List.of("missed"), homeyFiltered.all, "a summary cannot say which Homeys it went to");
        assertEquals(List.of("missed"), homeyFiltered.rest());
        assertEquals(List.of("missed"), noMatchOnly.rest(), "not the new rows (both matched a Homey), only the read-again");
        assertEquals(List.of(), other.rest());
        assertEquals(1, reads.size(), "only what is watched here is read, once: " + reads);
        assertEquals(Set.of("a", "b"), Set.copyOf(reads.get(0)));
    }

    /** What one watcher heard, as "changed ID", "recorded ID" or "missed". */
    private static final class Heard {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final List<String> all = new ArrayList<>();

        void until(String wanted) throws InterruptedException {
            while (all.isEmpty() || !all.get(all.size() - 1).equals(wanted)) {
                String event = queue.poll(5, TimeUnit.SECONDS);
                assertNotNull(event, "heard no " + wanted + " within 5 s, only " + all);
                all.add(event);
            }
        }

        List<String> rest() {
            List<String> rest = new ArrayList<>();
            queue.drainTo(rest);
            return rest;
        }
    }

    private Heard watch(String webhookId) {
        return watch(webhookId, DeliveryFilter.NONE);
    }

    private Heard watch(String webhookId, DeliveryFilter filter) {
        Heard heard = new Heard();
        feed.subscribe(webhookId, filter, event -> heard.queue.add(describe(event)));
        return heard;
    }

    private static String describe(DeliveryFeed.Event event) {
        if (event instanceof DeliveryFeed.Changed changed) {
            return "changed " + changed.summary().id();
        }
        if (event instanceof DeliveryFeed.Recorded recorded) {
            return "recorded " + recorded.summary().id();
        }
        return "missed";
    }

    /** A log whose constructor only keeps its arguments, so none is needed for a re-read that is faked. */
    private static DeliveryLog log(Reads reads) {
        return new DeliveryLog(null, null, null, null) {
            @Override
            public List<DeliverySummary> summaries(Collection<String> deliveryIds, Collection<String> webhookIds) {
                try {
                    return reads.summaries(deliveryIds);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** In ID order, so a refresh's events come in a known order. */
    private static List<DeliverySummary> ofWebhook(String webhookId, Collection<String> ids) {
        return ids.stream().sorted().map(id -> new DeliverySummary(id, webhookId, Instant.EPOCH, "POST", null, 0,
                RoutedBy.HOMEY_QUERY, 1, Map.of("acked", 1), null)).toList();
    }
}
