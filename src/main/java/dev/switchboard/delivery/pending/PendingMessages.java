package dev.switchboard.delivery.pending;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.delivery.DeliveryConfig;
import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.store.SqlFailure;

/**
 * What an offline Homey gets when it comes back: its targets that are pending, or were sent but never
 * acknowledged, and are younger than the pending TTL, oldest first (DESIGN.md, "Homey endpoint").
 */
@ApplicationScoped
public class PendingMessages {

    // Served by the partial index delivery_target_waiting_by_homey; partitions are read in time order.
    private static final String OLDEST = "SELECT t.delivery_id, d.webhook_id, d.received_at, d.method, d.headers::text,"
            + " d.raw_query, d.content_type, d.body"
            + " FROM delivery_target t"
            + " JOIN delivery d ON d.received_at = t.received_at AND d.id = t.delivery_id"
            + " WHERE t.homey_id = ? AND t.state IN ('pending', 'delivered') AND t.received_at > ?"
            + " AND (t.received_at, t.delivery_id) > (?, ?)"
            + " ORDER BY t.received_at, t.delivery_id"
            + " LIMIT ?";
    private static final String COUNT_ALL = "SELECT count(*) FROM delivery_target"
            + " WHERE homey_id = ? AND state IN ('pending', 'delivered') AND received_at > ?";
    private static final String COUNT = "SELECT count(*) FROM delivery_target"
            + " WHERE homey_id = ? AND webhook_id = ? AND state IN ('pending', 'delivered') AND received_at > ?";

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final DeliveryConfig config;
    private final Clock clock;

    public PendingMessages(DataSource dataSource, ObjectMapper mapper, DeliveryConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Up to {@code limit} waiting messages of {@code homeyId} after {@code afterDeliveryId} (exclusive; null for the
     * oldest), oldest first: a Homey with a long backlog is fed page by page without OFFSET.
     */
    public List<PendingMessage> oldestAfter(String homeyId, String afterDeliveryId, int limit) {
        Instant cutoff = clock.instant().minus(config.pendingTtl());
        Instant afterTime = cutoff;
        String afterId = "";
        if (afterDeliveryId != null) {
            if (!DeliveryIds.isWellFormed(afterDeliveryId)) {
                throw new IllegalArgumentException("Malformed delivery ID " + afterDeliveryId);
            }
            afterTime = DeliveryIds.timeOf(afterDeliveryId);
            afterId = afterDeliveryId;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(OLDEST)) {
            s.setString(1, homeyId);
            s.setObject(2, utc(cutoff));
            s.setObject(3, utc(afterTime));
            s.setString(4, afterId);
            s.setInt(5, limit);
            List<PendingMessage> messages = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    messages.add(new PendingMessage(rs.getString(1), rs.getString(2),
                            rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), headers(rs.getString(5)),
                            rs.getString(6), rs.getString(7), rs.getBytes(8)));
                }
            }
            return messages;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read pending messages of Homey " + homeyId + ": "
                    + SqlFailure.describe(e));
        }
    }

    /** How many messages wait for {@code homeyId} (at most the per-Homey cap, plus what arrived since the last check). */
    /** Messages of every webhook waiting for the Homey. */
    public long countFor(String homeyId) {
        return count(COUNT_ALL, homeyId, null);
    }

    /**
     * Messages of one webhook waiting for the Homey: what its registration shows that webhook's owner, who must not
     * learn how much other developers' webhooks send to the same Homey.
     */
    public long countFor(String homeyId, String webhookId) {
        return count(COUNT, homeyId, webhookId);
    }

    private long count(String sql, String homeyId, String webhookId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, homeyId);
            if (webhookId != null) {
                s.setString(i++, webhookId);
            }
            s.setObject(i, utc(clock.instant().minus(config.pendingTtl())));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count pending messages of Homey " + homeyId + ": "
                    + SqlFailure.describe(e));
        }
    }

    private ObjectNode headers(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored headers are not a JSON object", e);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
