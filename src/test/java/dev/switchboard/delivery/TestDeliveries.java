package dev.switchboard.delivery;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.routing.RoutedBy;

/** Records to feed the store, and what the database holds afterwards, for the delivery tests. */
public final class TestDeliveries {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One row of delivery_target. */
    public record Target(String homeyId, String state, int attempts, Instant firstSentAt, Instant lastSentAt,
            Instant ackedAt) {
    }

    private TestDeliveries() {
    }

    public static String randomId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static DeliveryRecord record(String webhookId, Instant receivedAt, String... homeyIds) {
        ObjectNode headers = JsonNodeFactory.instance.objectNode()
                .put("content-type", "application/json")
                .put("x-device-id", "aaa");
        byte[] body = "{\"device_id\":\"aaabbbccc\",\"turned_on\":true}".getBytes(StandardCharsets.UTF_8);
        return new DeliveryRecord(DeliveryIds.next(receivedAt), webhookId, receivedAt, "POST", headers, "a=1",
                "application/json", body, homeyIds.length == 0 ? RoutedBy.NO_MATCH : RoutedBy.KEY_PATH, null,
                List.of(homeyIds), null);
    }

    public static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    public static int count(DataSource dataSource, String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public static Map<String, Target> targets(DataSource dataSource, String deliveryId) throws SQLException {
        Map<String, Target> targets = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT homey_id, state, attempts, first_sent_at, last_sent_at, acked_at FROM delivery_target"
                        + " WHERE received_at = ? AND delivery_id = ? ORDER BY homey_id")) {
            s.setObject(1, OffsetDateTime.ofInstant(DeliveryIds.timeOf(deliveryId), java.time.ZoneOffset.UTC));
            s.setString(2, deliveryId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    targets.put(rs.getString(1), new Target(rs.getString(1), rs.getString(2), rs.getInt(3),
                            instant(rs, 4), instant(rs, 5), instant(rs, 6)));
                }
            }
        }
        return targets;
    }

    public static List<String> partitionNames(DataSource dataSource) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " WHERE i.inhparent IN ('delivery'::regclass, 'delivery_target'::regclass)")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
