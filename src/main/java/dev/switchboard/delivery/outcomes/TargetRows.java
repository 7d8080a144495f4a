package dev.switchboard.delivery.outcomes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
            + " WHERE d.received_at >= ?"
            + " AND d.deferred_homey_ids IS NOT NULL"
            + " ON CONFLICT DO NOTHING";

    private static final String OLDEST_CHECKPOINT = "SELECT min(written_before) FROM deferred_target_writer";

    /** Writers that stopped refreshing their row, gone with it; answers their checkpoints. */
    private static final String FORGET_STALE = "DELETE FROM deferred_target_writer"
            + " WHERE seen_at < now() - ? * interval '1 millisecond' AND writer_id <> ? RETURNING written_before";

    private static final String CHECKPOINT = "INSERT INTO deferred_target_writer (writer_id, written_before, seen_at)"
            + " VALUES (?, ?, now()) ON CONFLICT (writer_id) DO UPDATE"
            + " SET written_before = excluded.written_before, seen_at = now()";

    private static final String ALIVE = "UPDATE deferred_target_writer SET seen_at = now() WHERE writer_id = ?";

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

    /**
     * At a writer's start: writes the rows missing since the oldest checkpoint of any writer (this node's before a crash,
     * or another's). A writer still running elsewhere may get rows for targets it has yet to write: they are written
     * as pending, its write then adds the outcome, and its Homey may get such a message twice. Answers how many rows.
     */
    static int recover(Connection c) throws SQLException {
        Instant from;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(OLDEST_CHECKPOINT)) {
            rs.next();
            OffsetDateTime oldest = rs.getObject(1, OffsetDateTime.class);
            from = oldest == null ? null : oldest.toInstant();
        }
        int recovered = from == null ? 0 : recoverFrom(c, from);
        c.commit();
        return recovered;
    }

    /**
     * Recovers the deferred targets of writers other than {@code writerId} that have not refreshed their row for
     * {@code staleAfter} (their node died, or lost the database that long), and forgets those writers. Answers how
     * many rows it wrote.
     */
    static int recoverStale(Connection c, String writerId, Duration staleAfter) throws SQLException {
        Instant from = null;
        try (PreparedStatement s = c.prepareStatement(FORGET_STALE)) {
            s.setLong(1, staleAfter.toMillis());
            s.setString(2, writerId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Instant checkpoint = rs.getObject(1, OffsetDateTime.class).toInstant();
                    from = from == null || checkpoint.isBefore(from) ? checkpoint : from;
                }
            }
        }
        int recovered = from == null ? 0 : recoverFrom(c, from);
        c.commit();
        return recovered;
    }

    private static int recoverFrom(Connection c, Instant from) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(RECOVER)) {
            s.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            return s.executeUpdate();
        }
    }

    /** Every deferred target this writer took for deliveries received before {@code before} has its row. */
    static void moveCheckpoint(Connection c, String writerId, Instant before) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CHECKPOINT)) {
            s.setString(1, writerId);
            s.setObject(2, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
            s.executeUpdate();
        }
        c.commit();
    }

    /** Tells the other writers this one runs; false if its row is gone (they took it for dead and recovered it). */
    static boolean stillAlive(Connection c, String writerId) throws SQLException {
        int updated;
        try (PreparedStatement s = c.prepareStatement(ALIVE)) {
            s.setString(1, writerId);
            updated = s.executeUpdate();
        }
        c.commit();
        return updated > 0;
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
