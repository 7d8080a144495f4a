package dev.switchboard.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

/**
 * Every registration, in memory, so the sender endpoint reads no table per request (DESIGN.md, "Hot path budget").
 * Loaded once at startup and kept in step by {@link #put}/{@link #remove}, which the Homey side calls after each
 * committed subscribe or unsubscribe. Held compactly ({@link CompactRegistrations}): in cluster mode every node holds
 * every registration, so its size per registration sets how many Homeys a deployment can serve.
 *
 * <p>A reload builds a new index beside the one in use, which keeps routing until the new one is complete; changes
 * applied meanwhile are replayed onto the new one before it takes over, so none is lost.
 */
@ApplicationScoped
public class RegistrationIndex {

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final Object changes = new Object();
    private final Object reloads = new Object();
    private volatile CompactRegistrations current;
    /** Changes applied while a reload reads the database, to replay onto its result; null when none runs. */
    private List<Consumer<CompactRegistrations>> duringReload;

    public RegistrationIndex(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.current = new CompactRegistrations(mapper);
    }

    /** Replaces the index with what the database holds. */
    public void reload() {
        synchronized (reloads) {
            long started = System.nanoTime();
            synchronized (changes) {
                duringReload = new ArrayList<>();
            }
            CompactRegistrations loaded = new CompactRegistrations(mapper);
            int count = 0;
            try (Connection c = dataSource.getConnection()) {
                // PostgreSQL's driver reads a result in fetch-size batches only inside a transaction: with autocommit
                // it holds every row in memory first (10^7 rows: over a gigabyte of heap beside the index).
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT webhook_id, homey_id, data::text FROM registration")) {
                    s.setFetchSize(10_000);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            loaded.putStored(rs.getString(1), rs.getString(2), rs.getString(3));
                            count++;
                        }
                    }
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            } catch (SQLException | RuntimeException e) {
                synchronized (changes) {
                    duringReload = null;
                }
                throw new IllegalStateException("Could not load registrations", e);
            }
            synchronized (changes) {
                duringReload.forEach(change -> change.accept(loaded));
                duringReload = null;
                current = loaded;
            }
            Log.infof("Registration index loaded: %d registrations in %d ms", count,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    public void put(String webhookId, String homeyId, JsonNode data) {
        apply(index -> index.put(webhookId, homeyId, data));
    }

    public void remove(String webhookId, String homeyId) {
        apply(index -> index.remove(webhookId, homeyId));
    }

    public void removeWebhook(String webhookId) {
        apply(index -> index.removeWebhook(webhookId));
    }

    public void removeHomey(String homeyId) {
        apply(index -> index.removeHomey(homeyId));
    }

    public boolean isRegistered(String webhookId, String homeyId) {
        return current.isRegistered(webhookId, homeyId);
    }

    /** Homeys whose {@code $key} equals, or whose {@code $keys} contains, any of {@code keyValues}. */
    public void collectHomeysWithKeys(String webhookId, List<String> keyValues, Set<String> into) {
        current.collectHomeysWithKeys(webhookId, keyValues, into);
    }

    public Collection<Registration> registrationsOf(String webhookId) {
        return current.registrationsOf(webhookId);
    }

    public int countOf(String webhookId) {
        return current.countOf(webhookId);
    }

    private void apply(Consumer<CompactRegistrations> change) {
        synchronized (changes) {
            change.accept(current);
            if (duringReload != null) {
                duringReload.add(change);
            }
        }
    }
}
