package dev.switchboard.delivery.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.switchboard.delivery.DeliveryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps the delivery store within its promises (DESIGN.md, "Homey endpoint" and "Delivery log"): waiting messages
 * expire after the pending TTL, at most the per-Homey cap wait (oldest dropped first, and logged), day partitions
 * exist ahead of time and disappear whole after the retention. Every job is safe on several nodes at once: row
 * jobs lock with SKIP LOCKED, partition jobs take an advisory lock. Each job takes its limits as parameters, so
 * tests call it directly with their own "now".
 */
@ApplicationScoped
public class DeliveryMaintenance {

    /** Held (session level) by the node dropping old partitions; others skip that run. */
    static final long RETENTION_LOCK = 7263540938512002L;
    /** Candidates checked against the cap per statement. */
    private static final int CAP_CHECK_CHUNK = 1000;

    private static final String EXPIRE = "WITH doomed AS ("
            + " SELECT received_at, delivery_id, homey_id FROM delivery_target"
            + " WHERE state IN ('pending', 'delivered') AND received_at <= ?"
            + " LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " UPDATE delivery_target t SET state = 'expired' FROM doomed d"
            + " WHERE t.state IN ('pending', 'delivered') AND t.received_at <= ?"
            + " AND t.received_at = d.received_at AND t.delivery_id = d.delivery_id AND t.homey_id = d.homey_id";
    // Counting stops at cap + 1: a Homey under its cap costs at most cap index entries, never its whole history.
    private static final String OVER_CAP = "SELECT h.homey_id FROM unnest(?::varchar[]) AS h(homey_id)"
            + " WHERE (SELECT count(*) FROM (SELECT 1 FROM delivery_target t"
            + "   WHERE t.homey_id = h.homey_id AND t.state IN ('pending', 'delivered') LIMIT ?) w) > ?";
    // Skipping the newest `cap` (rows locked by a concurrent update are skipped, which only ever keeps more).
    private static final String DROP_BEYOND_CAP = "WITH doomed AS ("
            + " SELECT received_at, delivery_id FROM delivery_target"
            + " WHERE homey_id = ? AND state IN ('pending', 'delivered')"
            + " ORDER BY received_at DESC, delivery_id DESC OFFSET ? FOR UPDATE SKIP LOCKED)"
            + " UPDATE delivery_target t SET state = 'dropped' FROM doomed d"
            + " WHERE t.homey_id = ? AND t.state IN ('pending', 'delivered')"
            + " AND t.received_at = d.received_at AND t.delivery_id = d.delivery_id";
    private static final String COUNT_WAITING = "SELECT count(*) FROM delivery_target"
            + " WHERE state IN ('pending', 'delivered')";

    /**
     * What a partition run did.
     *
     * @param retentionSkipped true when another node held the retention lock, so nothing was dropped this time
     */
    public record PartitionRun(int created, List<String> dropped, boolean retentionSkipped) {
    }

    private final DataSource dataSource;
    private final DeliveryConfig config;
    private final DeliveryPartitions partitions;
    private final HomeysWithNewTargets newTargets;
    private final Clock clock;
    private final Counter expired;
    private final Counter dropped;
    private final Counter partitionsDropped;
    private final AtomicLong waiting = new AtomicLong();

    public DeliveryMaintenance(DataSource dataSource, DeliveryConfig config, DeliveryPartitions partitions,
            HomeysWithNewTargets newTargets, Clock clock, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.partitions = partitions;
        this.newTargets = newTargets;
        this.clock = clock;
        this.expired = Counter.builder("switchboard.delivery.targets.expired")
                .description("Waiting messages expired after the pending TTL").register(registry);
        this.dropped = Counter.builder("switchboard.delivery.targets.dropped")
                .description("Waiting messages dropped because their Homey was over its cap").register(registry);
        this.partitionsDropped = Counter.builder("switchboard.delivery.partitions.dropped")
                .description("Day partitions of the delivery log dropped after the retention").register(registry);
        Gauge.builder("switchboard.delivery.targets.waiting", waiting, AtomicLong::get)
                .description("Messages waiting for a Homey, all nodes (refreshed by maintenance; do not sum across"
                        + " nodes)")
                .register(registry);
    }

    /** Partitions for the first requests, before the first scheduled run. */
    void onStart(@Observes StartupEvent event) {
        if (config.pendingTtl().compareTo(config.retention()) > 0) {
            Log.warnf("switchboard.delivery.pending-ttl (%s) is longer than switchboard.delivery.retention (%s):"
                    + " waiting messages are dropped with their partition before their TTL is over",
                    config.pendingTtl(), config.retention());
        }
        LocalDate today = DeliveryPartitions.dayOf(clock.instant());
        try {
            partitions.ensure(today.minusDays(1), today.plusDays(config.partitionsAhead()));
        } catch (RuntimeException e) {
            // The recorder creates a missing partition itself; the next run tries again.
            Log.errorf("Could not create delivery partitions at startup: %s", e.getMessage());
        }
    }

    // First one interval after start (startup has made the partitions): a start does not race its shutdown with it.
    @Scheduled(identity = "delivery-maintenance", every = "${switchboard.delivery.maintenance-interval}",
            delayed = "${switchboard.delivery.maintenance-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void maintain() {
        Instant now = clock.instant();
        run("partitions", () -> maintainPartitions(DeliveryPartitions.dayOf(now), config.retention(),
                config.partitionsAhead()));
        run("expiry", () -> expire(now.minus(config.pendingTtl()), config.maxExpiredPerRun()));
        run("per-Homey cap", () -> {
            List<String> candidates = newTargets.drain();
            try {
                enforceCap(candidates, config.perHomeyCap());
            } catch (RuntimeException e) {
                newTargets.addAll(candidates); // check them again next run
                throw e;
            }
        });
        run("waiting gauge", this::refreshWaiting);
        Log.debugf("Delivery maintenance done in %d ms", Duration.between(now, clock.instant()).toMillis());
    }

    /**
     * Marks up to {@code limit} waiting targets received at or before {@code cutoff} as expired.
     *
     * @return how many it expired (less than {@code limit} means it caught up)
     */
    public int expire(Instant cutoff, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(EXPIRE)) {
            s.setObject(1, utc(cutoff));
            s.setInt(2, limit);
            s.setObject(3, utc(cutoff));
            int count = s.executeUpdate();
            if (count > 0) {
                expired.increment(count);
                Log.infof("Expired %d waiting messages received before %s", count, cutoff);
            }
            return count;
        } catch (SQLException e) {
            throw new IllegalStateException("Expiry failed: " + SqlFailure.describe(e));
        }
    }

    /**
     * Drops the oldest waiting targets of each of {@code homeyIds} beyond the newest {@code cap}, and logs each
     * Homey's drop.
     *
     * @return per Homey that was over the cap, how many of its messages were dropped
     */
    public Map<String, Integer> enforceCap(Collection<String> homeyIds, int cap) {
        Map<String, Integer> droppedPerHomey = new LinkedHashMap<>();
        if (homeyIds.isEmpty()) {
            return droppedPerHomey;
        }
        List<String> all = new ArrayList<>(homeyIds);
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < all.size(); from += CAP_CHECK_CHUNK) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + CAP_CHECK_CHUNK));
                for (String homeyId : overCap(c, chunk, cap)) {
                    int count = dropBeyondCap(c, homeyId, cap);
                    if (count > 0) {
                        dropped.increment(count);
                        droppedPerHomey.put(homeyId, count);
                        Log.warnf("Dropped the %d oldest waiting messages of Homey %s: more than %d were waiting",
                                count, homeyId, cap);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Per-Homey cap failed: " + SqlFailure.describe(e));
        }
        return droppedPerHomey;
    }

    /**
     * Creates the partitions from yesterday to {@code ahead} days after {@code today} and drops those older than
     * {@code retention} before {@code today}. Skipped (nothing done) while another node does it.
     */
    public PartitionRun maintainPartitions(LocalDate today, Duration retention, int ahead) {
        int created = partitions.ensure(today.minusDays(1), today.plusDays(ahead));
        LocalDate oldestKept = today.minusDays(retention.toDays());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!tryLock(c)) {
                Log.debugf("Another node is dropping old delivery partitions; skipping");
                return new PartitionRun(created, List.of(), true);
            }
            try (Statement s = c.createStatement()) {
                // Waiting long for a lock would hold up the job, not writers (they never wait on a detach).
                s.execute("SET lock_timeout = '10s'");
                List<String> gone = DeliveryPartitions.dropOlderThan(c, oldestKept);
                partitionsDropped.increment(gone.size());
                return new PartitionRun(created, gone, false);
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("RESET lock_timeout");
                    s.execute("SELECT pg_advisory_unlock(" + RETENTION_LOCK + ")");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Partition retention failed: " + SqlFailure.describe(e));
        }
    }

    /** Recounts the waiting targets for the gauge; answers the count. */
    public long refreshWaiting() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(COUNT_WAITING)) {
            rs.next();
            waiting.set(rs.getLong(1));
            return waiting.get();
        } catch (SQLException e) {
            throw new IllegalStateException("Counting waiting messages failed: " + SqlFailure.describe(e));
        }
    }

    private static List<String> overCap(Connection c, List<String> homeyIds, int cap) throws SQLException {
        List<String> over = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(OVER_CAP)) {
            s.setArray(1, c.createArrayOf("varchar", homeyIds.toArray()));
            s.setInt(2, cap + 1);
            s.setInt(3, cap);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    over.add(rs.getString(1));
                }
            }
        }
        return over;
    }

    private static int dropBeyondCap(Connection c, String homeyId, int cap) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(DROP_BEYOND_CAP)) {
            s.setString(1, homeyId);
            s.setInt(2, cap);
            s.setString(3, homeyId);
            return s.executeUpdate();
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + RETENTION_LOCK + ")")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void run(String job, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            Log.errorf("Delivery maintenance (%s) failed: %s", job, e.getMessage());
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
