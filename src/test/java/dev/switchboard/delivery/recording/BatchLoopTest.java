package dev.switchboard.delivery.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class BatchLoopTest {

    private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everythingOfferedFromManyThreadsIsWrittenOnceInBatchesNoLargerThanTheMaximum() throws Exception {
        CountDownLatch slowWriter = new CountDownLatch(1);
        BatchLoop<Integer> loop = new BatchLoop<>("test-loop", 10_000, 50, Duration.ZERO, batch -> {
            awaitQuietly(slowWriter); // the first batch waits, so the rest pile up and must be grouped
            batches.add(List.copyOf(batch));
        });
        loop.start();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            sent.add(senders.submit(() -> {
                for (int i = 0; i < 1000; i++) {
                    assertTrue(loop.offer(base + i));
                }
            }));
        }
        for (Future<?> f : sent) {
            f.get(10, TimeUnit.SECONDS);
        }
        slowWriter.countDown();
        assertEquals(List.of(), loop.stop(Duration.ofSeconds(10)), "stopping writes what is queued");
        senders.shutdown();

        List<Integer> written = batches.stream().flatMap(List::stream).sorted().toList();
        assertEquals(4000, written.size());
        assertEquals(4000, written.stream().distinct().count());
        assertTrue(batches.stream().allMatch(b -> b.size() <= 50));
        assertTrue(batches.size() < 4000 / 10, "batches did not group: " + batches.size());
    }

    @Test
    void aFullQueueSaysNoInsteadOfBlocking() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        BatchLoop<Integer> loop = new BatchLoop<>("test-loop", 3, 10, Duration.ZERO, batch -> {
            writing.countDown();
            awaitQuietly(blocked);
            batches.add(List.copyOf(batch));
        });
        loop.start();
        assertTrue(loop.offer(0));
        assertTrue(writing.await(10, TimeUnit.SECONDS)); // the writer holds item 0; the queue is empty again
        assertTrue(loop.offer(1));
        assertTrue(loop.offer(2));
        assertTrue(loop.offer(3));
        assertFalse(loop.offer(4), "capacity 3");
        assertEquals(3, loop.depth());

        blocked.countDown();
        assertEquals(List.of(), loop.stop(Duration.ofSeconds(10)));
        assertEquals(List.of(0, 1, 2, 3), batches.stream().flatMap(List::stream).toList());
    }

    @Test
    void stoppingWritesWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        BatchLoop<Integer> loop = new BatchLoop<>("test-loop", 100, 10, Duration.ZERO, batch -> {
            awaitQuietly(blocked);
            batches.add(List.copyOf(batch));
        });
        loop.start();
        for (int i = 0; i < 25; i++) {
            loop.offer(i);
        }
        blocked.countDown();
        List<Integer> unwritten = loop.stop(Duration.ofSeconds(10));

        assertTrue(unwritten.isEmpty());
        assertEquals(25, batches.stream().mapToInt(List::size).sum());
        assertFalse(loop.offer(99));
    }

    @Test
    void aSmallBatchWaitsForCompanyUpToTheDelay() throws Exception {
        CountDownLatch firstWritten = new CountDownLatch(1);
        BatchLoop<Integer> loop = new BatchLoop<>("test-loop", 100, 10, Duration.ofSeconds(30), batch -> {
            batches.add(List.copyOf(batch));
            firstWritten.countDown();
        });
        loop.start();
        for (int i = 0; i < 10; i++) {
            loop.offer(i); // the batch fills up long before the (generous) delay is over
        }
        assertTrue(firstWritten.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), batches);
        loop.stop(Duration.ofSeconds(5));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
