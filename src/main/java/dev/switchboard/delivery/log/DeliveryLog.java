package dev.switchboard.delivery.log;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.problem.Problem;
import dev.switchboard.problem.ProblemException;
import dev.switchboard.routing.RoutedBy;
import io.quarkus.logging.Log;

/**
 * Reads a webhook's delivery log for the portal and the API (DESIGN.md, "Delivery log"). Callers check that the
 * webhook is the caller's; every query here is also scoped to the webhook, so a delivery ID of another webhook
 * finds nothing.
 *
 * <p>Cost, at tens of millions of rows: every query walks the index {@code delivery_webhook_newest}
 * ({@code webhook_id, received_at DESC, id DESC}) from a known position, or reads rows by primary key; none uses
 * OFFSET or counts a whole log. Pages continue from a cursor (the last row's {@code (received_at, id)}). Filters
 * that the index cannot answer (outcome, Homey, body text, rule) are evaluated row by row on at most
 * {@link DeliveryLogConfig#scanLimit()} rows per page, streamed, and the scan stops as soon as the page is full.
 */
@ApplicationScoped
public class DeliveryLog {

    // Targets are counted per delivery through the primary key, at most `limit` each: a fleet-wide delivery costs
    // a bounded number of index entries. unnest keeps it one round trip for a page.
    private static final String TARGET_STATES = "SELECT k.id, s.state, s.n"
            + " FROM unnest(?::text[]::timestamptz[], ?::varchar[]) AS k(received_at, id)"
            + " CROSS JOIN LATERAL (SELECT x.state, count(*) AS n FROM (SELECT t.state FROM "
            + targetsOf("k.received_at", "k.id") + " t LIMIT ?) x GROUP BY x.state) s";
    private static final String DETAIL = "SELECT method, headers::text, raw_query, content_type, body, routed_by,"
            + " rule_detail::text, matched, replay_of FROM delivery WHERE received_at = ? AND id = ? AND webhook_id = ?";
    private static final String TARGETS = "SELECT t.homey_id, t.state, t.attempts, t.first_sent_at, t.last_sent_at,"
            + " t.acked_at FROM (SELECT ?::timestamptz AS received_at, ?::varchar AS id) k"
            + " CROSS JOIN LATERAL " + targetsOf("k.received_at", "k.id") + " t ORDER BY t.homey_id LIMIT ?";
    private static final String BY_IDS = "SELECT d.received_at, d.id, d.webhook_id, d.method, d.content_type,"
            + " octet_length(d.body) AS size, d.routed_by, d.matched, d.replay_of"
            + " FROM unnest(?::text[]::timestamptz[], ?::varchar[]) AS k(received_at, id)"
            + " JOIN delivery d ON d.received_at = k.received_at AND d.id = k.id"
            + " WHERE d.webhook_id = ANY(?::varchar[])";
    // Per hour, at most `cap` newest rows: a busier hour is extrapolated from how long those took to arrive.
    private static final String HOURS = "SELECT h.start, s.n, s.delivered, s.oldest"
            + " FROM generate_series(?::timestamptz, ?::timestamptz, interval '1 hour') AS h(start)"
            + " CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(sum(x.matched), 0) AS delivered,"
            + "   min(x.received_at) AS oldest FROM (SELECT d.received_at, d.matched FROM delivery d"
            + "   WHERE d.webhook_id = ? AND d.received_at >= h.start AND d.received_at < h.start + interval '1 hour'"
            + "   ORDER BY d.received_at DESC, d.id DESC LIMIT ?) x) s"
            + " ORDER BY h.start";
    private static final String OUTCOMES = "WITH sample AS MATERIALIZED (SELECT d.received_at, d.id FROM delivery d"
            + "   WHERE d.webhook_id = ? AND d.received_at >= ? ORDER BY d.received_at DESC, d.id DESC LIMIT ?)"
            + " SELECT coalesce(t.state, 'no_match'), count(*), (SELECT count(*) FROM sample) FROM sample d"
            + " LEFT JOIN LATERAL (SELECT t.state FROM " + targetsOf("d.received_at", "d.id") + " t LIMIT ?) t ON true"
            + " GROUP BY 1";

    /**
     * The targets of the delivery at ({@code receivedAt}, {@code id}), SQL expressions of the enclosing query: their
     * rows, and as pending those deferred targets whose row is not written yet (see
     * {@link dev.switchboard.delivery.outcomes.DeliveryOutcomes#defer}: between the commit and the acknowledgement, usually
     * milliseconds).
     */
    private static String targetsOf(String receivedAt, String id) {
        return "(SELECT w.homey_id::text AS homey_id, w.state, w.attempts, w.first_sent_at, w.last_sent_at, w.acked_at"
                + " FROM delivery_target w WHERE w.received_at = " + receivedAt + " AND w.delivery_id = " + id
                + " UNION ALL SELECT u.homey_id, 'pending', 0, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz"
                + " FROM delivery dd CROSS JOIN LATERAL unnest(dd.deferred_homey_ids) AS u(homey_id)"
                + " WHERE dd.received_at = " + receivedAt + " AND dd.id = " + id
                + " AND NOT EXISTS (SELECT 1 FROM delivery_target v WHERE v.received_at = dd.received_at"
                + "   AND v.delivery_id = dd.id AND v.homey_id = u.homey_id))";
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** A row before its targets are counted. */
    private record Row(String id, String webhookId, Instant receivedAt, String method, String contentType, long size,
            RoutedBy routedBy, int matched, String replayOf) {
    }

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final DeliveryLogConfig config;
    private final Clock clock;

    public DeliveryLog(DataSource dataSource, ObjectMapper mapper, DeliveryLogConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Up to {@code limit} deliveries older than {@code afterId} (exclusive; null for the newest), newest first.
     * With filters, at most {@link DeliveryLogConfig#scanLimit()} rows are examined; see {@link DeliveryPage}.
     */
    public DeliveryPage page(String webhookId, DeliveryFilter filter, String afterId, int limit) {
        // Every row is a match without row filters, so limit + 1 rows tell whether there is a next page.
        int scan = filter.onlyTimeRange() ? limit + 1 : Math.max(config.scanLimit(), limit + 1);
        List<Object> whereParams = new ArrayList<>();
        StringBuilder where = new StringBuilder("d.webhook_id = ?");
        whereParams.add(webhookId);
        if (filter.from() != null) {
            where.append(" AND d.received_at >= ?");
            whereParams.add(utc(filter.from()));
        }
        if (filter.to() != null) {
            where.append(" AND d.received_at < ?");
            whereParams.add(utc(filter.to()));
        }
        if (afterId != null) {
            where.append(" AND (d.received_at, d.id) < (?, ?)");
            whereParams.add(utc(DeliveryIds.timeOf(afterId)));
            whereParams.add(afterId);
        }
        whereParams.add(scan);
        // The row filters sit above the LIMIT, in the outer select list: they run for each row as it is fetched,
        // and fetching stops when the page is full. The outer ORDER BY is the index order, so it adds no sort.
        // Their parameters come first: the outer select list precedes the inner query in the statement.
        List<Object> params = new ArrayList<>();
        StringBuilder hit = new StringBuilder("true");
        if (filter.rule() != null) {
            hit.append(" AND c.routed_by = ?");
            params.add(filter.rule().code());
        }
        if (filter.outcome() != null) {
            if (filter.outcome().equals(DeliveryFilter.NO_MATCH)) {
                hit.append(" AND c.matched = 0");
            } else {
                hit.append(" AND c.matched > 0 AND EXISTS (SELECT 1 FROM " + targetsOf("c.received_at", "c.id")
                        + " t WHERE t.state = ?)");
                params.add(filter.outcome());
            }
        }
        if (filter.homeyId() != null) {
            hit.append(" AND EXISTS (SELECT 1 FROM " + targetsOf("c.received_at", "c.id") + " t WHERE t.homey_id = ?)");
            params.add(filter.homeyId());
        }
        if (filter.text() != null) {
            // Bytes, not text: a binary or non-UTF-8 body cannot make the query fail, and nothing is decoded.
            hit.append(" AND position(?::bytea IN c.body) > 0");
            params.add(filter.text().getBytes(StandardCharsets.UTF_8));
        }
        String sql = "SELECT c.received_at, c.id, c.webhook_id, c.method, c.content_type, c.size, c.routed_by,"
                + " c.matched, c.replay_of, " + hit + " AS hit FROM (SELECT d.received_at, d.id, d.webhook_id,"
                + " d.method, d.content_type, octet_length(d.body) AS size, d.routed_by, d.matched, d.replay_of"
                + (filter.text() != null ? ", d.body" : "")
                + " FROM delivery d WHERE " + where + " ORDER BY d.received_at DESC, d.id DESC LIMIT ?) c"
                + " ORDER BY c.received_at DESC, c.id DESC";
        params.addAll(whereParams);
        return read("page of webhookId=" + webhookId, c -> {
            List<Row> hits = new ArrayList<>();
            int scanned = 0;
            String lastScanned = null;
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, params);
                s.setFetchSize(Math.min(limit + 1, scan));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        scanned++;
                        lastScanned = rs.getString(2);
                        if (rs.getBoolean(10)) {
                            hits.add(row(rs));
                            if (hits.size() > limit) {
                                break;
                            }
                        }
                    }
                }
            }
            String next = null;
            boolean limited = false;
            if (hits.size() > limit) {
                hits = hits.subList(0, limit);
                next = DeliveryCursor.of(hits.get(limit - 1).id());
            } else if (scanned == scan) {
                next = DeliveryCursor.of(lastScanned);
                limited = true;
            }
            return new DeliveryPage(summaries(c, hits), next, limited);
        });
    }

    /** One delivery of {@code webhookId}, with its first {@link DeliveryLogConfig#targetsShown()} targets. */
    public Optional<StoredDelivery> find(String webhookId, String deliveryId) {
        if (!DeliveryIds.isWellFormed(deliveryId)) {
            return Optional.empty();
        }
        OffsetDateTime receivedAt = utc(DeliveryIds.timeOf(deliveryId));
        return read("delivery " + deliveryId, c -> {
            StoredDelivery found;
            try (PreparedStatement s = c.prepareStatement(DETAIL)) {
                bind(s, List.of(receivedAt, deliveryId, webhookId));
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    found = new StoredDelivery(deliveryId, webhookId, receivedAt.toInstant(), rs.getString(1),
                            (ObjectNode) json(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getBytes(5),
                            RoutedBy.ofCode(rs.getString(6)), json(rs.getString(7)), rs.getInt(8), rs.getString(9),
                            List.of());
                }
            }
            List<DeliveryTarget> targets = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(TARGETS)) {
                bind(s, List.of(receivedAt, deliveryId, config.targetsShown()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        targets.add(new DeliveryTarget(rs.getString(1), rs.getString(2), rs.getInt(3),
                                instant(rs, 4), instant(rs, 5), instant(rs, 6)));
                    }
                }
            }
            return Optional.of(new StoredDelivery(found.id(), found.webhookId(), found.receivedAt(), found.method(),
                    found.headers(), found.rawQuery(), found.contentType(), found.body(), found.routedBy(),
                    found.ruleDetail(), found.matched(), found.replayOf(), List.copyOf(targets)));
        });
    }

    /** The summaries of those of {@code deliveryIds} that belong to one of {@code webhookIds}, in no order. */
    public List<DeliverySummary> summaries(Collection<String> deliveryIds, Collection<String> webhookIds) {
        List<String> ids = deliveryIds.stream().filter(DeliveryIds::isWellFormed).toList();
        if (ids.isEmpty() || webhookIds.isEmpty()) {
            return List.of();
        }
        return read("summaries", c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(BY_IDS)) {
                s.setArray(1, times(c, ids));
                s.setArray(2, c.createArrayOf("varchar", ids.toArray()));
                s.setArray(3, c.createArrayOf("varchar", webhookIds.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
                }
            }
            return summaries(c, rows);
        });
    }

    /** Requests and deliveries per hour over the last 24 h, and the outcomes of the newest requests. */
    public DeliveryStats stats(String webhookId) {
        Instant now = clock.instant();
        Instant currentHour = now.truncatedTo(ChronoUnit.HOURS);
        Instant first = currentHour.minus(23, ChronoUnit.HOURS);
        return read("stats of webhookId=" + webhookId, c -> {
            List<DeliveryStats.Hour> hours = new ArrayList<>(24);
            int cap = config.statsRowsPerHour();
            try (PreparedStatement s = c.prepareStatement(HOURS)) {
                bind(s, List.of(utc(first), utc(currentHour), webhookId, cap));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        Instant start = instant(rs, 1);
                        long requests = rs.getLong(2);
                        long deliveries = rs.getLong(3);
                        Instant oldest = instant(rs, 4);
                        boolean estimated = requests >= cap;
                        if (estimated) {
                            // The newest `cap` rows arrived in [oldest, end): scale them to the whole hour so far.
                            Instant end = start.plus(1, ChronoUnit.HOURS).isAfter(now) ? now : start.plus(1, ChronoUnit.HOURS);
                            double covered = Math.max(1, Duration.between(oldest, end).toMillis());
                            double scale = Duration.between(start, end).toMillis() / covered;
                            requests = Math.round(requests * scale);
                            deliveries = Math.round(deliveries * scale);
                        }
                        hours.add(new DeliveryStats.Hour(start, requests, deliveries, estimated));
                    }
                }
            }
            Map<String, Long> counts = new HashMap<>();
            int sampled = 0;
            try (PreparedStatement s = c.prepareStatement(OUTCOMES)) {
                bind(s, List.of(webhookId, utc(first), config.statsOutcomeSample(), config.targetsCountedPerDelivery()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), rs.getLong(2));
                        sampled = rs.getInt(3);
                    }
                }
            }
            Map<String, Long> outcomes = new LinkedHashMap<>();
            for (String state : DeliveryFilter.STATES) {
                if (counts.containsKey(state)) {
                    outcomes.put(state, counts.get(state));
                }
            }
            if (counts.containsKey(DeliveryFilter.NO_MATCH)) {
                outcomes.put(DeliveryFilter.NO_MATCH, counts.get(DeliveryFilter.NO_MATCH));
            }
            return new DeliveryStats(List.copyOf(hours), outcomes, sampled);
        });
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private List<DeliverySummary> summaries(Connection c, List<Row> rows) throws SQLException {
        List<Row> routed = rows.stream().filter(r -> r.matched() > 0).toList();
        Map<String, Map<String, Integer>> states = new HashMap<>();
        if (!routed.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(TARGET_STATES)) {
                List<String> ids = routed.stream().map(Row::id).toList();
                s.setArray(1, times(c, ids));
                s.setArray(2, c.createArrayOf("varchar", ids.toArray()));
                s.setInt(3, config.targetsCountedPerDelivery());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        states.computeIfAbsent(rs.getString(1), id -> new HashMap<>())
                                .put(rs.getString(2), rs.getInt(3));
                    }
                }
            }
        }
        List<DeliverySummary> summaries = new ArrayList<>(rows.size());
        for (Row r : rows) {
            summaries.add(new DeliverySummary(r.id(), r.webhookId(), r.receivedAt(), r.method(), r.contentType(),
                    r.size(), r.routedBy(), r.matched(), DeliverySummary.ordered(states.getOrDefault(r.id(), Map.of())),
                    r.replayOf()));
        }
        return summaries;
    }

    /** Columns 1-9: received_at, id, webhook_id, method, content_type, size, routed_by, matched, replay_of. */
    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString(2), rs.getString(3), instant(rs, 1), rs.getString(4), rs.getString(5),
                rs.getLong(6), RoutedBy.ofCode(rs.getString(7)), rs.getInt(8), rs.getString(9));
    }

    /** The receive times encoded in delivery IDs, as a timestamptz-castable text array. */
    private static Array times(Connection c, List<String> ids) throws SQLException {
        Object[] times = new Object[ids.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = utc(DeliveryIds.timeOf(ids.get(i))).toString();
        }
        return c.createArrayOf("text", times);
    }

    /**
     * Runs {@code work} in a read-only transaction with a statement timeout. Outside autocommit, a fetch size makes
     * the driver stream rows through a portal, so a page stops the scan when it is full.
     */
    private <T> T read(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET TRANSACTION READ ONLY");
                s.execute("SET LOCAL statement_timeout = " + config.queryTimeout().toMillis());
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState())) {
                Log.warnf("Delivery log query timed out: %s", what);
                throw new ProblemException(Problem.of(503, "query_timeout", "Service Unavailable",
                        "Searching the log took too long. Narrow the time range or the filters."));
            }
            throw new IllegalStateException("Could not read the delivery log (" + what + "): " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement s, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof byte[] bytes) {
                s.setBytes(i + 1, bytes);
            } else {
                s.setObject(i + 1, p);
            }
        }
    }

    private JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON does not parse", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
