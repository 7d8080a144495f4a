package dev.switchboard.homey;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Deletes Homeys that enrolled long ago and never connected: enrollment needs no login, so rows nobody uses would
 * otherwise pile up. A Homey that said hello once is kept (it has a last-seen time), and so are test Homeys.
 */
@ApplicationScoped
public class NeverConnectedHomeys {

    private static final int BATCH = 10_000;

    private final HomeyConfig config;
    private final Clock clock;

    public NeverConnectedHomeys(HomeyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    // First one interval after start, like every later run: a start does not race its shutdown with a purge.
    @Scheduled(every = "${switchboard.homeys.purge-interval}", delayed = "${switchboard.homeys.purge-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void purge() {
        Instant enrolledBefore = clock.instant().minus(config.neverConnectedRetention());
        long purged = 0;
        int deleted;
        do {
            // In batches, each its own transaction: a backlog from a flood of enrollments never holds one long lock.
            deleted = QuarkusTransaction.requiringNew().call(() -> Homey.getEntityManager().createNativeQuery(
                    "DELETE FROM homey WHERE id IN (SELECT id FROM homey WHERE last_seen_at IS NULL"
                            + " AND owner_id IS NULL AND created_at < ?1 LIMIT " + BATCH + ")")
                    .setParameter(1, enrolledBefore).executeUpdate());
            purged += deleted;
        } while (deleted == BATCH);
        if (purged > 0) {
            Log.infof("Deleted %d Homeys enrolled before %s that never connected", purged, enrolledBefore);
        }
    }
}
