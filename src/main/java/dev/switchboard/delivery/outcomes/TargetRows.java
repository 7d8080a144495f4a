package dev.switchboard.delivery.outcomes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The statements of the outcome writer ({@link DeliveryOutcomes}) on {@code delivery_target}, each committing in the
 * caller's connection. Changes travel as arrays, one statement per batch however large, joined to their rows by
 * primary key: executing one statement per target cost the database more per row than recording the delivery did.
 */
final class TargetRows {

    /** An ack wins over any state (the Homey has the message); a send never revives expired/dropped/error targets. */
    private static final String UPDATE = "UPDATE delivery_target t SET"
            + " state = CASE WHEN u.acked IS NOT NULL THEN 'acked'"
            + "   WHEN t.state IN ('pending', 'delivered') THEN 'delivered' ELSE t.state END,"
            + " attempts = t.attempts + u.sends,"
            + " first_sent_at = coalesce(t.first_sent_at, u.first_sent),"
            + " last_sent_at = greatest(t.last_sent_at, u.last_sent),"
            + " acked_at = coalesce(t.acked_at, u.acked)"
            + " FROM (SELECT " + at("r") + " AS received_at, d AS delivery_id, h AS homey_id, s AS sends,"
            + "   " + at("f") + " AS first_sent, " + at("l") + " AS last_sent, " + at("a") + " AS acked"
            + "   FROM unnest(?::int8[], ?::varchar[], ?::varchar[], ?::int4[], ?::int8[], ?::int8[], ?::int8[])"
            + "   AS x(r, d, h, s, f, l, a)) u"
            + " WHERE t.received_at = u.received_at AND t.delivery_id = u.delivery_id AND t.homey_id = u.homey_id";

    /**
     * Deferred targets, written with what is known of them. A row may exist already (recovery after a crash wrote it
     * as pending): the outcome is then applied to it as by {@link #UPDATE}.
     */
    private static final String INSERT = "INSERT INTO delivery_target AS t (received_at, delivery_id, homey_id,"
            + " state, attempts, first_sent_at, last_sent_at, acked_at, webhook_id)"
            + " SELECT " + at("r") + ", d, h,"
            + "   CASE WHEN a IS NOT NULL THEN 'acked' WHEN s > 0 THEN 'delivered' ELSE 'pending' END,"
            + "   s, " + at("f") + ", " + at("l") + ", " + at("a") + ", w"
            + " FROM unnest(?::int8[], ?::varchar[], ?::varchar[], ?::int4[], ?::int8[], ?::int8[], ?::int8[],"
            + "   ?::varchar[]) AS x(r, d, h, s, f, l, a, w)"
            + " ON CONFLICT (received_at, delivery_id, homey_id) DO UPDATE SET"
            + " state = CASE WHEN excluded.acked_at IS NOT NULL THEN 'acked'"
            + "   WHEN excluded.attempts > 0 AND t.state IN ('pending', 'delivered') THEN 'delivered' ELSE t.state END,"
            + " attempts = t.attempts + excluded.attempts,"
            + " first_sent_at = coalesce(t.first_sent_at, excluded.first_sent_at),"
            + " last_sent_at = greatest(t.last_sent_at, excluded.last_sent_at),"
            + " acked_at = coalesce(t.acked_at, excluded.acked_at)";

    /** The rows of deferred targets a crash left unwritten, as pending: their Homeys get the messages again. */
    private static final String RECOVER = "INSERT INTO delivery_target (received_at, delivery_id, homey_id, webhook_id)"
            + " SELECT d.received_at, d.id, u.homey_id, d.webhook_id FROM delivery d"
            + " CROSS JOIN LATERAL unnest(d.deferred_homey_ids) AS u(homey_id)"
            + " WHERE d.received_at >= (SELECT written_before FROM deferred_target_checkpoint)"
            + " AND d.deferred_homey_ids IS NOT NULL"
            + " ON CONFLICT DO NOTHING";

    private static final String CHECKPOINT = "UPDATE deferred_target_checkpoint SET written_before = ?";

    private TargetRows() {
    }

    /** Answers how many rows it updated (a change whose row is gone updates none). */
    static int update(Connection c, List<TargetChange> changes) throws SQLException {
        Columns columns = new Columns(changes.size(), false);
        for (TargetChange change : changes) {
            columns.add(change.receivedAt(), change.deliveryId(), change.homeyId(), change, null);
        }
        int updated;
        try (PreparedStatement s = c.prepareStatement(UPDATE)) {
            columns.bind(c, s);
            updated = s.executeUpdate();
        }
        c.commit();
        return updated;
    }

    /** Answers how many rows it wrote (inserted, or updated where recovery had written them first). */
    static int insert(Connection c, List<UnwrittenOutcomes.Deferred> targets) throws SQLException {
        Columns columns = new Columns(targets.size(), true);
        for (UnwrittenOutcomes.Deferred target : targets) {
            columns.add(target.receivedAt, target.deliveryId, target.homeyId, target.change, target.webhookId);
        }
        int written;
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            columns.bind(c, s);
            written = s.executeUpdate();
        }
        c.commit();
        return written;
    }

    /** Answers how many rows it wrote. */
    static int recover(Connection c) throws SQLException {
        int recovered;
        try (Statement s = c.createStatement()) {
            recovered = s.executeUpdate(RECOVER);
        }
        c.commit();
        return recovered;
    }

    /** Every deferred target of the deliveries received before {@code before} has its row. */
    static void moveCheckpoint(Connection c, Instant before) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CHECKPOINT)) {
            s.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
            s.executeUpdate();
        }
        c.commit();
    }

    /** Times travel as epoch microseconds: exact, and cheaper to write and to read than text. */
    private static String at(String micros) {
        return "timestamptz 'epoch' + " + micros + " * interval '1 microsecond'";
    }

    /** The statements' array parameters, in their order. */
    private static final class Columns {

        private final Long[] receivedAt;
        private final String[] deliveryIds;
        private final String[] homeyIds;
        private final Integer[] sends;
        private final Long[] firstSent;
        private final Long[] lastSent;
        private final Long[] acked;
        private final String[] webhookIds;
        private int size;

        Columns(int rows, boolean withWebhook) {
            receivedAt = new Long[rows];
            deliveryIds = new String[rows];
            homeyIds = new String[rows];
            sends = new Integer[rows];
            firstSent = new Long[rows];
            lastSent = new Long[rows];
            acked = new Long[rows];
            webhookIds = withWebhook ? new String[rows] : null;
        }

        /** @param change what happened to the target so far, or null for nothing */
        void add(Instant received, String deliveryId, String homeyId, TargetChange change, String webhookId) {
            receivedAt[size] = micros(received);
            deliveryIds[size] = deliveryId;
            homeyIds[size] = homeyId;
            sends[size] = change == null ? 0 : change.sends();
            firstSent[size] = change == null ? null : micros(change.firstSent());
            lastSent[size] = change == null ? null : micros(change.lastSent());
            acked[size] = change == null ? null : micros(change.acked());
            if (webhookIds != null) {
                webhookIds[size] = webhookId;
            }
            size++;
        }

        void bind(Connection c, PreparedStatement s) throws SQLException {
            s.setArray(1, c.createArrayOf("int8", receivedAt));
            s.setArray(2, c.createArrayOf("text", deliveryIds));
            s.setArray(3, c.createArrayOf("text", homeyIds));
            s.setArray(4, c.createArrayOf("int4", sends));
            s.setArray(5, c.createArrayOf("int8", firstSent));
            s.setArray(6, c.createArrayOf("int8", lastSent));
            s.setArray(7, c.createArrayOf("int8", acked));
            if (webhookIds != null) {
                s.setArray(8, c.createArrayOf("text", webhookIds));
            }
        }

        private static Long micros(Instant at) {
            return at == null ? null : ChronoUnit.MICROS.between(Instant.EPOCH, at);
        }
    }
}
