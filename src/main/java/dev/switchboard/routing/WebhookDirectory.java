package dev.switchboard.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.webhook.keypath.KeyPath;
import dev.switchboard.webhook.keypath.KeyPathSyntaxException;
import io.quarkus.logging.Log;

/**
 * Every webhook's routing settings in memory, reloaded from the database after each committed change, so the
 * sender endpoint answers 404 or routes without a query.
 */
@ApplicationScoped
public class WebhookDirectory {

    private static final String SELECT = "SELECT id, key_path, legacy_function, owner_id FROM webhook";

    private final Map<String, RoutableWebhook> byId = new ConcurrentHashMap<>();
    private final DataSource dataSource;
    private final RegistrationIndex registrations;
    /** Webhooks refreshed while a reload reads the database (it may have read them before the change); else null. */
    private List<String> refreshedDuringReload;

    public WebhookDirectory(DataSource dataSource, RegistrationIndex registrations) {
        this.dataSource = dataSource;
        this.registrations = registrations;
    }

    public Optional<RoutableWebhook> find(String webhookId) {
        return Optional.ofNullable(byId.get(webhookId));
    }

    /**
     * Replaces the directory with what the database holds. Senders are answered from the directory as it was
     * meanwhile (never from an emptied one); webhooks refreshed during the read are read again after it.
     */
    public void reload() {
        synchronized (this) {
            refreshedDuringReload = new ArrayList<>();
        }
        Map<String, RoutableWebhook> read = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(SELECT)) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    RoutableWebhook webhook = routable(rs);
                    read.put(webhook.id(), webhook);
                }
            }
        } catch (SQLException e) {
            synchronized (this) {
                refreshedDuringReload = null;
            }
            throw new IllegalStateException("Could not load webhooks", e);
        }
        List<String> again;
        synchronized (this) {
            byId.putAll(read);
            byId.keySet().retainAll(read.keySet());
            again = refreshedDuringReload;
            refreshedDuringReload = null;
        }
        again.forEach(this::refresh);
        Log.infof("Webhook directory loaded: %d webhooks", byId.size());
    }

    /** Re-reads one webhook; gone from the database means gone from routing, registrations included. */
    public void refresh(String webhookId) {
        synchronized (this) {
            if (refreshedDuringReload != null) {
                refreshedDuringReload.add(webhookId);
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(SELECT + " WHERE id = ?")) {
            s.setString(1, webhookId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    byId.put(webhookId, routable(rs));
                } else {
                    byId.remove(webhookId);
                    registrations.removeWebhook(webhookId);
                }
            }
        } catch (SQLException e) {
            // The next full reload (or change) repairs it; meanwhile routing uses the previous settings.
            Log.errorf(e, "Could not refresh webhookId=%s for routing", webhookId);
        }
    }

    private static RoutableWebhook routable(ResultSet rs) throws SQLException {
        String id = rs.getString(1);
        return new RoutableWebhook(id, compile(id, rs.getString(2)), Optional.ofNullable(rs.getString(3)),
                rs.getString(4));
    }

    private static Optional<KeyPath> compile(String webhookId, String keyPath) {
        if (keyPath == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyPath.parse(keyPath));
        } catch (KeyPathSyntaxException e) {
            // Saved key paths were validated; this only happens if the language became stricter since.
            Log.warnf("Stored key path of webhookId=%s no longer parses (%s); routing ignores it", webhookId,
                    e.getMessage());
            return Optional.empty();
        }
    }
}
