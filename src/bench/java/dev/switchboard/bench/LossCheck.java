package dev.switchboard.bench;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.postgresql.PGConnection;

/**
 * "Answered 200 but never delivered": every deliveryId the wrk script saw in a 200 is looked up in the delivery
 * log; a 200 with no delivery row is lost outright, and each of its targets that is a fleet Homey must have reached
 * that Homey (after the fleet has drained). Targets of Homeys that never connect are counted as waiting, not lost:
 * they are delivered when those Homeys connect, which in this benchmark they never do.
 */
final class LossCheck {

    /**
     * @param notReceivedStates what the log says of the targets that never reached their fleet Homey (e.g. still
     *                          pending after the drain timeout, or dropped by the per-Homey cap)
     */
    record Report(long answered200, long notRecorded, long unmatched, long fleetTargets, long notReceived,
            Map<String, Long> notReceivedStates, long waitingForOfflineHomeys, List<String> examples) {

        long lost() {
            return notRecorded + notReceived;
        }
    }

    private LossCheck() {
    }

    static Report run(Connection c, List<Path> idFiles, HomeyFleet fleet) throws SQLException, IOException {
        Set<String> answered = new LinkedHashSet<>();
        for (Path f : idFiles) {
            for (String line : Files.readAllLines(f)) {
                if (!line.isBlank()) {
                    answered.add(line.trim());
                }
            }
        }
        Map<String, HomeyFleet.SimHomey> fleetById = new HashMap<>();
        for (HomeyFleet.SimHomey h : fleet.homeys) {
            fleetById.put(h.homeyId, h);
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS bench_answered (id VARCHAR(24) PRIMARY KEY)");
            s.execute("TRUNCATE bench_answered");
        }
        StringBuilder rows = new StringBuilder(answered.size() * 25);
        answered.forEach(id -> rows.append(id).append('\n'));
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bench_answered FROM STDIN",
                new StringReader(rows.toString()));
        s(c, "ANALYZE bench_answered");
        long notRecorded = 0;
        long unmatched = 0;
        long fleetTargets = 0;
        long notReceived = 0;
        long waiting = 0;
        List<String> examples = new ArrayList<>();
        Map<String, Long> notReceivedStates = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT a.id, d.matched, t.homey_id, t.state"
                + " FROM bench_answered a"
                + " LEFT JOIN delivery d ON d.id = a.id"
                + " LEFT JOIN delivery_target t ON t.delivery_id = a.id AND t.received_at = d.received_at")) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    int matched = rs.getInt(2);
                    boolean recorded = !rs.wasNull();
                    String homeyId = rs.getString(3);
                    if (!recorded) {
                        notRecorded++;
                        example(examples, id + " answered 200, not in the delivery log");
                    } else if (matched == 0) {
                        unmatched++;
                    } else if (homeyId != null) {
                        HomeyFleet.SimHomey h = fleetById.get(homeyId);
                        if (h == null) {
                            waiting++;
                        } else {
                            fleetTargets++;
                            if (!h.received.contains(id)) {
                                notReceived++;
                                notReceivedStates.merge(rs.getString(4), 1L, Long::sum);
                                example(examples, id + " never reached Homey " + homeyId + " (state in the log: "
                                        + rs.getString(4) + ")");
                            }
                        }
                    }
                }
            }
        }
        c.commit();
        c.setAutoCommit(autoCommit);
        return new Report(answered.size(), notRecorded, unmatched, fleetTargets, notReceived, notReceivedStates,
                waiting, examples);
    }

    /** Targets recorded for these Homeys so far (what the fleet must eventually receive). */
    static long targetsOf(Connection c, List<HomeyFleet.SimHomey> homeys) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM delivery_target WHERE homey_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("varchar", homeys.stream().map(h -> h.homeyId).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Targets of these Homeys whose state in the log is not (yet) acked. */
    static long unackedOf(Connection c, List<HomeyFleet.SimHomey> homeys) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM delivery_target WHERE homey_id = ANY (?) AND state <> 'acked'")) {
            s.setArray(1, c.createArrayOf("varchar", homeys.stream().map(h -> h.homeyId).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Targets by state, e.g. to see dropped or expired ones. */
    static Map<String, Long> targetStates(Connection c) throws SQLException {
        Map<String, Long> states = new HashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT state, count(*) FROM delivery_target GROUP BY state")) {
            while (rs.next()) {
                states.put(rs.getString(1), rs.getLong(2));
            }
        }
        return states;
    }

    private static void example(List<String> examples, String text) {
        if (examples.size() < 5) {
            examples.add(text);
        }
    }

    private static void s(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
