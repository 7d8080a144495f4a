package dev.switchboard.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.webhook.keypath.RegistrationKeys;
import io.quarkus.logging.Log;

/**
 * Every registration, in memory, so the sender endpoint reads no table per request (DESIGN.md, "Hot path budget").
 * Loaded once at startup and kept in step by {@link #put}/{@link #remove}, which the Homey side calls after each
 * committed subscribe or unsubscribe.
 */
@ApplicationScoped
public class RegistrationIndex {

    private final Map<String, WebhookRegistrations> byWebhook = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public RegistrationIndex(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /**
     * Changes made while a reload reads the database, applied again over what it read (which may predate them); null
     * when no reload runs. Guarded by this, as are all changes: they are rare, and routing reads take no lock.
     */
    private List<Consumer<Map<String, WebhookRegistrations>>> madeDuringReload;

    /**
     * Replaces the index with what the database holds. Routing goes on meanwhile with the index as it was: each
     * webhook's registrations are swapped at once when the read is done, never cleared first.
     */
    public void reload() {
        long started = System.nanoTime();
        synchronized (this) {
            madeDuringReload = new ArrayList<>();
        }
        Map<String, WebhookRegistrations> read = new HashMap<>();
        int count = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT webhook_id, homey_id, data::text FROM registration")) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    put(read, rs.getString(1), rs.getString(2), mapper.readTree(rs.getString(3)));
                    count++;
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            synchronized (this) {
                madeDuringReload = null;
            }
            throw new IllegalStateException("Could not load registrations", e);
        }
        synchronized (this) {
            byWebhook.putAll(read);
            byWebhook.keySet().retainAll(read.keySet());
            madeDuringReload.forEach(change -> change.accept(byWebhook));
            madeDuringReload = null;
        }
        Log.infof("Registration index loaded: %d registrations in %d ms", count, (System.nanoTime() - started) / 1_000_000);
    }

    public void put(String webhookId, String homeyId, JsonNode data) {
        change(index -> put(index, webhookId, homeyId, data));
    }

    public void remove(String webhookId, String homeyId) {
        change(index -> index.computeIfPresent(webhookId, (id, registrations) -> {
            registrations.remove(homeyId);
            return registrations.isEmpty() ? null : registrations;
        }));
    }

    public void removeWebhook(String webhookId) {
        change(index -> index.remove(webhookId));
    }

    public void removeHomey(String homeyId) {
        change(index -> index.keySet().forEach(webhookId -> index.computeIfPresent(webhookId, (id, registrations) -> {
            registrations.remove(homeyId);
            return registrations.isEmpty() ? null : registrations;
        })));
    }

    private synchronized void change(Consumer<Map<String, WebhookRegistrations>> change) {
        change.accept(byWebhook);
        if (madeDuringReload != null) {
            madeDuringReload.add(change);
        }
    }

    private static void put(Map<String, WebhookRegistrations> index, String webhookId, String homeyId, JsonNode data) {
        Set<String> keys = RegistrationKeys.of(data);
        index.computeIfAbsent(webhookId, id -> new WebhookRegistrations())
                .put(new Registration(homeyId, data.toString(), keys));
    }

    public boolean isRegistered(String webhookId, String homeyId) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        return registrations != null && registrations.contains(homeyId);
    }

    /** Homeys whose {@code $key} equals, or whose {@code $keys} contains, any of {@code keyValues}. */
    public void collectHomeysWithKeys(String webhookId, List<String> keyValues, Set<String> into) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        if (registrations == null) {
            return;
        }
        for (String value : keyValues) {
            registrations.collectHomeysWithKey(value, into);
        }
    }

    public Collection<Registration> registrationsOf(String webhookId) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        return registrations == null ? List.of() : List.copyOf(registrations.all());
    }

    public int countOf(String webhookId) {
        WebhookRegistrations registrations = byWebhook.get(webhookId);
        return registrations == null ? 0 : registrations.size();
    }
}
