package dev.switchboard.delivery.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

/**
 * The day partitions of {@code delivery} and {@code delivery_target} (one per UTC day, named
 * {@code <table>_pYYYYMMDD}): created ahead of time, and dropped whole once older than the retention.
 */
@ApplicationScoped
public class DeliveryPartitions {

    /** Parent tables, in the order partitions are created and dropped. */
    static final List<String> TABLES = List.of("delivery", "delivery_target");

    private static final Pattern NAME = Pattern.compile("(delivery|delivery_target)_p(\\d{8})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /** One day partition, attached or left over from an interrupted drop. */
    public record DayPartition(String table, String name, LocalDate day, boolean attached, boolean detachPending) {
    }

    private final DataSource dataSource;

    public DeliveryPartitions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static LocalDate dayOf(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    public static String partitionName(String table, LocalDate day) {
        return table + "_p" + DAY.format(day);
    }

    /** Creates the missing partitions for {@code from..to} (inclusive); answers how many it created. */
    public int ensure(LocalDate from, LocalDate to) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return ensure(c, from, to);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create delivery partitions " + from + ".." + to, e);
        }
    }

    /** As {@link #ensure(LocalDate, LocalDate)}, in the caller's connection and transaction. */
    public static int ensure(Connection c, LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT switchboard_ensure_delivery_partitions(?, ?)")) {
            s.setObject(1, from);
            s.setObject(2, to);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                int created = rs.getInt(1);
                if (created > 0) {
                    Log.infof("Created %d delivery partitions for %s..%s", created, from, to);
                }
                return created;
            }
        }
    }

    /** Every day partition in the current schema, attached or not, oldest first. */
    public List<DayPartition> list() {
        try (Connection c = dataSource.getConnection()) {
            return list(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list delivery partitions", e);
        }
    }

    private static List<DayPartition> list(Connection c) throws SQLException {
        String sql = "SELECT c.relname, i.inhrelid IS NOT NULL, coalesce(i.inhdetachpending, false)"
                + " FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid"
                + " WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace"
                + " AND c.relname ~ '^delivery(_target)?_p[0-9]{8}$' ORDER BY c.relname";
        List<DayPartition> partitions = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Matcher m = NAME.matcher(rs.getString(1));
                if (m.matches()) {
                    partitions.add(new DayPartition(m.group(1), rs.getString(1), LocalDate.parse(m.group(2), DAY),
                            rs.getBoolean(2), rs.getBoolean(3)));
                }
            }
        }
        partitions.sort((a, b) -> a.day().equals(b.day()) ? a.name().compareTo(b.name()) : a.day().compareTo(b.day()));
        return partitions;
    }

    /**
     * Drops every day partition older than {@code oldestKept}, whole. DETACH ... CONCURRENTLY first, so neither
     * the recorder's inserts nor portal reads wait on the parent; a detach that a crash interrupted is finished.
     * Needs a connection of its own in auto-commit mode (a concurrent detach cannot run in a transaction).
     *
     * @return the names of the tables dropped
     */
    static List<String> dropOlderThan(Connection c, LocalDate oldestKept) throws SQLException {
        List<String> dropped = new ArrayList<>();
        for (DayPartition p : list(c)) {
            if (!p.day().isBefore(oldestKept)) {
                continue;
            }
            try (Statement s = c.createStatement()) {
                if (p.attached()) {
                    String mode = p.detachPending() ? "FINALIZE" : "CONCURRENTLY";
                    s.execute("ALTER TABLE " + p.table() + " DETACH PARTITION " + p.name() + " " + mode);
                }
                s.execute("DROP TABLE IF EXISTS " + p.name());
            }
            Log.infof("Dropped delivery partition %s (day %s, retention keeps %s and later)", p.name(), p.day(),
                    oldestKept);
            dropped.add(p.name());
        }
        return dropped;
    }
}
