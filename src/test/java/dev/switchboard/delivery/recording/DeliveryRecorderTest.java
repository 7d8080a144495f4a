package dev.switchboard.delivery.recording;

import static dev.switchboard.delivery.TestDeliveries.await;
import static dev.switchboard.delivery.TestDeliveries.count;
import static dev.switchboard.delivery.TestDeliveries.randomId;
import static dev.switchboard.delivery.TestDeliveries.record;
import static dev.switchboard.delivery.TestDeliveries.targets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.delivery.DeliveryConfig;
import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.RecordingUnavailable;
import dev.switchboard.delivery.TestDeliveries;
import dev.switchboard.delivery.store.DeliveryPartitions;
import dev.switchboard.routing.RoutedBy;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DeliveryRecorderTest {

    @Inject
    DeliveryRecorder recorder;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper mapper;

    @Inject
    DeliveryConfig config;

    @Test
    void recordsFromManyThreadsAreAllCommittedInFewerTransactions() throws Exception {
        String webhookId = randomId();
        String[] homeys = {randomId(), randomId(), randomId()};
        int threads = 8;
        int perThread = 250;
        long transactionsBefore = transactions();
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<List<DeliveryRecord>>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            work.add(CompletableFuture.supplyAsync(() -> {
                List<DeliveryRecord> sent = new ArrayList<>();
                List<CompletableFuture<Void>> done = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    // 0 to 3 matched Homeys, so batches mix deliveries with and without targets.
                    DeliveryRecord r = record(webhookId, Instant.now(), java.util.Arrays.copyOf(homeys, i % 4));
                    sent.add(r);
                    done.add(recorder.record(r).toCompletableFuture());
                }
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
                return sent;
            }, senders));
        }
        List<DeliveryRecord> all = new ArrayList<>();
        for (CompletableFuture<List<DeliveryRecord>> w : work) {
            all.addAll(await(w));
        }
        senders.shutdown();

        int n = threads * perThread;
        assertEquals(n, count(dataSource, "SELECT count(*) FROM delivery WHERE webhook_id = ?", webhookId));
        int expectedTargets = all.stream().mapToInt(r -> r.homeyIds().size()).sum();
        assertEquals(expectedTargets, count(dataSource,
                "SELECT count(*) FROM delivery_target WHERE webhook_id = ? AND state = 'pending'", webhookId));
        assertEquals(0, count(dataSource, "SELECT count(*) FROM delivery d WHERE webhook_id = ? AND matched <>"
                + " (SELECT count(*) FROM delivery_target t WHERE t.received_at = d.received_at"
                + " AND t.delivery_id = d.id)", webhookId));
        DeliveryRecord sample = all.get(n - 1);
        assertEquals(sample.homeyIds().size(), targets(dataSource, sample.id()).size());
        long transactions = transactions() - transactionsBefore;
        assertTrue(transactions < n, n + " records took " + transactions + " transactions: no group commit");
    }

    @Test
    void aRecordWithoutHomeysIsStoredWithNoTargets() throws Exception {
        DeliveryRecord r = record(randomId(), Instant.now());
        await(recorder.record(r));

        assertEquals(0, count(dataSource, "SELECT matched FROM delivery WHERE id = ?", r.id()));
        assertEquals("no_match", stored(r.id(), "routed_by"));
        assertTrue(targets(dataSource, r.id()).isEmpty());
    }

    @Test
    void theRequestIsStoredExactlyAsReceived() throws Exception {
        ObjectNode headers = JsonNodeFactory.instance.objectNode()
                .put("authorization", "Bearer kept-unredacted")
                .put("x-tuya-key", "k1, k2");
        byte[] body = {0, 1, 2, (byte) 0xff, 'x'};
        ObjectNode ruleDetail = JsonNodeFactory.instance.objectNode().put("keyPath", "headers['x-tuya-key']")
                .put("value", "k1");
        String original = randomId();
        Instant at = Instant.now();
        DeliveryRecord r = new DeliveryRecord(DeliveryIds.next(at), randomId(), at, "PATCH", headers, "x=1&x=2",
                "application/octet-stream", body, RoutedBy.HOMEY_QUERY, ruleDetail, List.of(randomId()), original);
        await(recorder.record(r));

        assertEquals(headers, mapper.readTree(stored(r.id(), "headers::text")));
        assertEquals(ruleDetail, mapper.readTree(stored(r.id(), "rule_detail::text")));
        assertEquals("PATCH", stored(r.id(), "method"));
        assertEquals("x=1&x=2", stored(r.id(), "raw_query"));
        assertEquals("application/octet-stream", stored(r.id(), "content_type"));
        assertEquals("homey_query", stored(r.id(), "routed_by"));
        assertEquals(original, stored(r.id(), "replay_of"));
        assertEquals(r.webhookId(), stored(r.id(), "webhook_id"));
        assertEquals(DeliveryIds.timeOf(r.id()).toString(),
                stored(r.id(), "to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"));
        assertArrayEquals(body, storedBody(r.id()));
    }

    @Test
    void nulIsKeptInJsonAndReplacedInTextInsteadOfFailing() throws Exception {
        ObjectNode ruleDetail = JsonNodeFactory.instance.objectNode().put("value", "a\u0000b");
        Instant at = Instant.now();
        DeliveryRecord r = new DeliveryRecord(DeliveryIds.next(at), randomId(), at, "POST",
                JsonNodeFactory.instance.objectNode(), "q=\u0000", null, "a\u0000b".getBytes(StandardCharsets.UTF_8),
                RoutedBy.KEY_PATH, ruleDetail, List.of(), null);
        await(recorder.record(r));

        assertEquals("a\u0000b", mapper.readTree(stored(r.id(), "rule_detail::text")).get("value").textValue(),
                "json keeps the escape");
        assertEquals("q=\uFFFD", stored(r.id(), "raw_query"), "text cannot hold NUL: replaced");
        assertArrayEquals("a\u0000b".getBytes(StandardCharsets.UTF_8), storedBody(r.id()), "raw body kept exact");
    }

    @Test
    void aBadRecordFailsAloneAndTheRestOfItsBatchIsCommitted() throws Exception {
        String webhookId = randomId();
        DeliveryRecord first = record(webhookId, Instant.now(), randomId());
        await(recorder.record(first));

        // Queued back to back, so they normally share a batch; the duplicate ID breaks that batch's COPY.
        var duplicate = recorder.record(first).toCompletableFuture();
        List<DeliveryRecord> good = List.of(record(webhookId, Instant.now(), randomId()),
                record(webhookId, Instant.now(), randomId()), record(webhookId, Instant.now()));
        List<CompletableFuture<Void>> goodDone = good.stream().map(r -> recorder.record(r).toCompletableFuture())
                .toList();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> await(duplicate));
        assertInstanceOf(RecordingUnavailable.class, failure.getCause());
        for (CompletableFuture<Void> done : goodDone) {
            await(done);
        }
        assertEquals(4, count(dataSource, "SELECT count(*) FROM delivery WHERE webhook_id = ?", webhookId));
    }

    @Test
    void aFailingDatabaseFailsTheBatchWithRecordingUnavailableAndTheNextBatchSucceeds() throws Exception {
        // A real failure inside PostgreSQL: the table the writer copies into is gone for a moment.
        execute("ALTER TABLE delivery_target RENAME TO delivery_target_away");
        DeliveryRecord lost;
        try {
            lost = record(randomId(), Instant.now(), randomId());
            ExecutionException failure = assertThrows(ExecutionException.class, () -> await(recorder.record(lost)));
            RecordingUnavailable unavailable = assertInstanceOf(RecordingUnavailable.class, failure.getCause());
            assertEquals(Duration.ofSeconds(1), unavailable.retryAfter());
        } finally {
            execute("ALTER TABLE delivery_target_away RENAME TO delivery_target");
        }
        assertEquals(0, count(dataSource, "SELECT count(*) FROM delivery WHERE id = ?", lost.id()),
                "the failed batch left nothing behind");

        DeliveryRecord next = record(randomId(), Instant.now(), randomId());
        await(recorder.record(next));
        assertEquals(1, targets(dataSource, next.id()).size());
    }

    @Test
    void aLostConnectionIsReplacedAndTheBatchRetriedOnTheFreshOne() throws Exception {
        await(recorder.record(record(randomId(), Instant.now()))); // the writer holds a connection now
        int terminated = count(dataSource, "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM"
                + " pg_stat_activity WHERE application_name = ?) t", DeliveryRecorder.WRITER_NAME);
        assertEquals(1, terminated);

        DeliveryRecord r = record(randomId(), Instant.now(), randomId());
        await(recorder.record(r));
        assertEquals(1, targets(dataSource, r.id()).size());
    }

    @Test
    void aMissingDayPartitionIsCreatedAndTheRecordCommitted() throws Exception {
        // Three days back: inside the retention, but not among the partitions the app creates ahead.
        Instant threeDaysAgo = Instant.now().minus(3, ChronoUnit.DAYS);
        String partition = DeliveryPartitions.partitionName("delivery",
                LocalDate.ofInstant(threeDaysAgo, java.time.ZoneOffset.UTC));
        assertTrue(!TestDeliveries.partitionNames(dataSource).contains(partition), partition + " already exists");

        DeliveryRecord r = record(randomId(), threeDaysAgo, randomId());
        await(recorder.record(r));

        assertTrue(TestDeliveries.partitionNames(dataSource).contains(partition));
        assertEquals(1, targets(dataSource, r.id()).size());
    }

    @Test
    void aFullQueueRefusesAtOnceInsteadOfBlockingTheCaller() throws Exception {
        String webhookId = randomId();
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        CompletableFuture<Void> refused = null;
        // Hold the writer at its next COPY, so records pile up in the queue until it is full.
        try (Connection blocker = dataSource.getConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE delivery IN ACCESS EXCLUSIVE MODE");
            while (refused == null) {
                CompletableFuture<Void> done = recorder.record(record(webhookId, Instant.now())).toCompletableFuture();
                if (done.isCompletedExceptionally()) {
                    refused = done;
                } else {
                    queued.add(done);
                }
            }
            blocker.rollback();
        }
        // Done already when record() returned: the endpoint answers 503 without waiting.
        ExecutionException failure = assertThrows(ExecutionException.class, refused::get);
        RecordingUnavailable unavailable = assertInstanceOf(RecordingUnavailable.class, failure.getCause());
        assertEquals(Duration.ofSeconds(1), unavailable.retryAfter());
        assertTrue(queued.size() >= config.queueCapacity(), "refused before the queue was full: " + queued.size());

        // Everything queued completes once the writer can go on: committed, or refused had the lock outlasted
        // the write timeout. Either way the future tells the truth about the database.
        int committed = 0;
        for (CompletableFuture<Void> done : queued) {
            try {
                await(done);
                committed++;
            } catch (ExecutionException e) {
                assertInstanceOf(RecordingUnavailable.class, e.getCause());
            }
        }
        assertEquals(committed, count(dataSource, "SELECT count(*) FROM delivery WHERE webhook_id = ?", webhookId));
    }

    @Test
    void largeBodiesFillTheQueueByMemoryLongBeforeItsCount() throws Exception {
        String webhookId = randomId();
        byte[] oneMegabyte = new byte[1024 * 1024]; // shared: the bound counts body sizes, the test needs no heap
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        CompletableFuture<Void> refused = null;
        try (Connection blocker = dataSource.getConnection(); Statement s = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            s.execute("LOCK TABLE delivery IN ACCESS EXCLUSIVE MODE");
            while (refused == null) {
                Instant at = Instant.now();
                CompletableFuture<Void> done = recorder.record(new DeliveryRecord(DeliveryIds.next(at), webhookId, at,
                        "POST", null, null, "application/octet-stream", oneMegabyte, RoutedBy.NO_MATCH, null,
                        List.of(), null)).toCompletableFuture();
                if (done.isCompletedExceptionally()) {
                    refused = done;
                } else {
                    queued.add(done);
                }
            }
            blocker.rollback();
        }
        ExecutionException failure = assertThrows(ExecutionException.class, refused::get);
        assertInstanceOf(RecordingUnavailable.class, failure.getCause());
        long bound = config.queueMaxBytes().asLongValue() / oneMegabyte.length;
        assertTrue(queued.size() <= bound + 1, queued.size() + " bodies of 1 MiB queued, bound " + bound);

        for (CompletableFuture<Void> done : queued) {
            try {
                await(done);
            } catch (ExecutionException e) {
                assertInstanceOf(RecordingUnavailable.class, e.getCause());
            }
        }
        // Memory is given back as batches complete: the queue takes large bodies again.
        await(recorder.record(new DeliveryRecord(DeliveryIds.next(Instant.now()), webhookId, Instant.now(), "POST",
                null, null, null, oneMegabyte, RoutedBy.NO_MATCH, null, List.of(), null)));
    }

    @Test
    void aMalformedRecordIsRefusedAtOnce() {
        CompletableFuture<Void> malformed = recorder.record(new DeliveryRecord("nope", randomId(), Instant.now(),
                "POST", null, null, null, new byte[0], RoutedBy.NO_MATCH, null, List.of(), null)).toCompletableFuture();
        ExecutionException failure = assertThrows(ExecutionException.class, () -> await(malformed));
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
    }

    private long transactions() {
        return registry.get("switchboard.delivery.record.batch.size").summary().count();
    }

    private String stored(String id, String column) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM delivery WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "no delivery " + id);
                return rs.getString(1);
            }
        }
    }

    private byte[] storedBody(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT body FROM delivery WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getBytes(1);
            }
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
