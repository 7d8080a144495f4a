package dev.switchboard.delivery.recording;

import static dev.switchboard.delivery.TestDeliveries.randomId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.routing.RoutedBy;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What the recorder sustains end to end (queue, group commit with synchronous_commit on, completion), with a fixed
 * number of requests in flight, as senders waiting for their 200 would be. Prints lines starting with
 * {@code [recorder]}. Run with {@code ./mvnw -Pbench test -Dtest=DeliveryRecorderBenchmark -Dbenchmark=true}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class DeliveryRecorderBenchmark {

    private static final int RECORDS = 30_000;

    @Inject
    DeliveryRecorder recorder;

    @Inject
    MeterRegistry registry;

    @Test
    void printsRecordsPerSecond() throws Exception {
        for (int inFlight : new int[] {1, 16, 256, 2048, 1, 16, 256, 2048}) {
            run(inFlight);
        }
    }

    private void run(int inFlight) throws Exception {
        String webhookId = randomId();
        List<String> homeys = List.of(randomId(), randomId());
        ObjectNode headers = JsonNodeFactory.instance.objectNode().put("content-type", "application/json")
                .put("user-agent", "Acme-Cloud/2.1").put("x-request-id", "9f1c7d0e-7a39-4c7c-bb6e-3c1b8b9f2a11")
                .put("x-signature", "sha256=0d3c6c0fe5b2a4f1cd1b8cfd3b8e1e4b0f8d1f9a7c5e3b1d9f7e5c3a1b9d7f5e3");
        byte[] body = ("{\"device_id\":\"aaabbbccc\",\"payload\":\"" + "x".repeat(800) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        int records = inFlight == 1 ? RECORDS / 10 : RECORDS;
        Semaphore window = new Semaphore(inFlight);
        long[] latencies = new long[records];
        AtomicInteger failures = new AtomicInteger();
        DistributionSummary batches = registry.get("switchboard.delivery.record.batch.size").summary();
        long batchesBefore = batches.count();
        long start = System.nanoTime();
        for (int i = 0; i < records; i++) {
            window.acquire();
            Instant now = Instant.now();
            DeliveryRecord r = new DeliveryRecord(DeliveryIds.next(now), webhookId, now, "POST", headers, null,
                    "application/json", body, RoutedBy.KEY_PATH, null, homeys, null);
            long sent = System.nanoTime();
            int index = i;
            recorder.record(r).whenComplete((ok, error) -> {
                latencies[index] = System.nanoTime() - sent;
                if (error != null) {
                    failures.incrementAndGet();
                }
                window.release();
            });
        }
        window.acquire(inFlight);
        double seconds = (System.nanoTime() - start) / 1e9;
        long transactions = batches.count() - batchesBefore;
        Arrays.sort(latencies);
        System.out.printf("[recorder] %4d in flight: %7.0f records/s, %5.1f records per commit, latency p50 %6.2f ms"
                + " p99 %6.2f ms, %d failed%n", inFlight, records / seconds, (double) records / transactions,
                latencies[records / 2] / 1e6, latencies[records * 99 / 100] / 1e6, failures.get());
        TimeUnit.MILLISECONDS.sleep(200);
    }
}
