package dev.switchboard.delivery.recording;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.postgresql.PGConnection;

import dev.switchboard.delivery.DeliveryIds;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Which way of writing a batch of deliveries is fastest: plain JDBC batch, the driver's reWriteBatchedInserts,
 * one INSERT ... SELECT FROM unnest(arrays), or binary COPY (which won, and is what {@link DeliveryInsert} does).
 * Each batch is a record with 2 targets, ~1 KB body and ~500 B of headers, committed with synchronous_commit on.
 * Prints lines starting with {@code [insert-method]}. Run with {@code ./mvnw -Pbench test -Dtest=InsertMethodBenchmark -Dbenchmark=true}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class InsertMethodBenchmark {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    record Row(String id, Instant at, String webhookId, String headers, String query, String contentType, byte[] body,
            String rule, List<String> homeys) {
    }

    interface Method {
        void write(Connection c, List<Row> rows) throws Exception;
    }

    @Test
    void printsRowsPerSecond() throws Exception {
        int[] batchSizes = {1, 10, 100, 1000};
        String[] names = {"jdbc batch", "rewritten batch", "unnest arrays", "binary copy"};
        Method[] methods = {InsertMethodBenchmark::jdbcBatch, InsertMethodBenchmark::jdbcBatch,
                InsertMethodBenchmark::unnest, InsertMethodBenchmark::copy};
        for (int round = 0; round < 2; round++) {
            for (int batch : batchSizes) {
                for (int m = 0; m < methods.length; m++) {
                    try (Connection c = m == 1 ? rewriting() : dataSource.getConnection()) {
                        c.setAutoCommit(false);
                        try (Statement s = c.createStatement()) {
                            s.execute("SET synchronous_commit = on");
                        }
                        int total = Math.max(batch * 20, 4000);
                        long start = System.nanoTime();
                        for (int done = 0; done < total; done += batch) {
                            methods[m].write(c, rows(batch));
                            c.commit();
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        if (round == 1) {
                            System.out.printf("[insert-method] %-16s batch %5d: %8.0f records/s, %6.2f ms per commit%n",
                                    names[m], batch, total / seconds, seconds * 1000 / (total / batch));
                        }
                    }
                }
            }
        }
    }

    private Connection rewriting() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", "postgres");
        p.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(url, p);
    }

    static List<Row> rows(int n) {
        List<Row> rows = new ArrayList<>(n);
        byte[] body = ("{\"device_id\":\"aaabbbccc\",\"turned_on\":true,\"payload\":\"" + "x".repeat(800) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String headers = "{\"content-type\":\"application/json; charset=utf-8\",\"user-agent\":\"Acme-Cloud/2.1\","
                + "\"x-device-id\":\"aaa\",\"x-request-id\":\"9f1c7d0e-7a39-4c7c-bb6e-3c1b8b9f2a11\","
                + "\"x-signature\":\"sha256=0d3c6c0fe5b2a4f1cd1b8cfd3b8e1e4b0f8d1f9a7c5e3b1d9f7e5c3a1b9d7f5e3\","
                + "\"accept\":\"*/*\",\"content-length\":\"850\",\"x-forwarded-for\":\"203.0.113.7\"}";
        for (int i = 0; i < n; i++) {
            Instant at = Instant.now();
            rows.add(new Row(DeliveryIds.next(at), Instant.ofEpochMilli(at.toEpochMilli()), "56db7fb12dcf75604ea7977d",
                    headers, "homey=1", "application/json; charset=utf-8", body, "key_path",
                    List.of("aaaaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaaaa2")));
        }
        return rows;
    }

    static void jdbcBatch(Connection c, List<Row> rows) throws SQLException {
        try (PreparedStatement d = c.prepareStatement("INSERT INTO delivery (received_at, id, webhook_id, method, headers,"
                + " raw_query, content_type, body, routed_by, rule_detail, matched, replay_of)"
                + " VALUES (?, ?, ?, ?, ?::json, ?, ?, ?, ?, ?::json, ?, ?)");
                PreparedStatement t = c.prepareStatement("INSERT INTO delivery_target (received_at, delivery_id,"
                        + " homey_id, webhook_id) VALUES (?, ?, ?, ?)")) {
            for (Row r : rows) {
                d.setObject(1, java.time.OffsetDateTime.ofInstant(r.at, java.time.ZoneOffset.UTC));
                d.setString(2, r.id);
                d.setString(3, r.webhookId);
                d.setString(4, "POST");
                d.setString(5, r.headers);
                d.setString(6, r.query);
                d.setString(7, r.contentType);
                d.setBytes(8, r.body);
                d.setString(9, r.rule);
                d.setNull(10, Types.VARCHAR);
                d.setInt(11, r.homeys.size());
                d.setNull(12, Types.VARCHAR);
                d.addBatch();
                for (String h : r.homeys) {
                    t.setObject(1, java.time.OffsetDateTime.ofInstant(r.at, java.time.ZoneOffset.UTC));
                    t.setString(2, r.id);
                    t.setString(3, h);
                    t.setString(4, r.webhookId);
                    t.addBatch();
                }
            }
            d.executeBatch();
            t.executeBatch();
        }
    }

    static void unnest(Connection c, List<Row> rows) throws SQLException {
        int n = rows.size();
        String[] at = new String[n], id = new String[n], wh = new String[n], method = new String[n], headers = new String[n],
                query = new String[n], ct = new String[n], rule = new String[n], detail = new String[n], replay = new String[n];
        byte[][] body = new byte[n][];
        Integer[] matched = new Integer[n];
        List<String> tAt = new ArrayList<>(), tId = new ArrayList<>(), tHomey = new ArrayList<>(), tWh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            at[i] = r.at.toString();
            id[i] = r.id;
            wh[i] = r.webhookId;
            method[i] = "POST";
            headers[i] = r.headers;
            query[i] = r.query;
            ct[i] = r.contentType;
            body[i] = r.body;
            rule[i] = r.rule;
            matched[i] = r.homeys.size();
            for (String h : r.homeys) {
                tAt.add(at[i]);
                tId.add(r.id);
                tHomey.add(h);
                tWh.add(r.webhookId);
            }
        }
        try (PreparedStatement d = c.prepareStatement("INSERT INTO delivery (received_at, id, webhook_id, method, headers,"
                + " raw_query, content_type, body, routed_by, rule_detail, matched, replay_of)"
                + " SELECT * FROM unnest(?::timestamptz[], ?::varchar[], ?::varchar[], ?::varchar[], ?::json[],"
                + " ?::text[], ?::text[], ?::bytea[], ?::varchar[], ?::json[], ?::int[], ?::varchar[])");
                PreparedStatement t = c.prepareStatement("INSERT INTO delivery_target (received_at, delivery_id,"
                        + " homey_id, webhook_id) SELECT * FROM unnest(?::timestamptz[], ?::varchar[], ?::varchar[],"
                        + " ?::varchar[])")) {
            d.setArray(1, c.createArrayOf("text", at));
            d.setArray(2, c.createArrayOf("text", id));
            d.setArray(3, c.createArrayOf("text", wh));
            d.setArray(4, c.createArrayOf("text", method));
            d.setArray(5, c.createArrayOf("text", headers));
            d.setArray(6, c.createArrayOf("text", query));
            d.setArray(7, c.createArrayOf("text", ct));
            d.setObject(8, body);
            d.setArray(9, c.createArrayOf("text", rule));
            d.setArray(10, c.createArrayOf("text", detail));
            d.setArray(11, c.createArrayOf("int4", matched));
            d.setArray(12, c.createArrayOf("text", replay));
            d.executeUpdate();
            t.setArray(1, c.createArrayOf("text", tAt.toArray()));
            t.setArray(2, c.createArrayOf("text", tId.toArray()));
            t.setArray(3, c.createArrayOf("text", tHomey.toArray()));
            t.setArray(4, c.createArrayOf("text", tWh.toArray()));
            t.executeUpdate();
        }
    }

    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    static void copy(Connection c, List<Row> rows) throws SQLException, IOException {
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        ByteArrayOutputStream dBytes = new ByteArrayOutputStream(rows.size() * 1600);
        ByteArrayOutputStream tBytes = new ByteArrayOutputStream(rows.size() * 200);
        DataOutputStream d = header(dBytes);
        DataOutputStream t = header(tBytes);
        for (Row r : rows) {
            long micros = r.at.toEpochMilli() * 1000 - PG_EPOCH_MICROS;
            d.writeShort(12);
            d.writeInt(8);
            d.writeLong(micros);
            text(d, r.id);
            text(d, r.webhookId);
            text(d, "POST");
            text(d, r.headers); // json: its binary form is the text
            text(d, r.query);
            text(d, r.contentType);
            d.writeInt(r.body.length);
            d.write(r.body);
            text(d, r.rule);
            text(d, null);
            d.writeInt(4);
            d.writeInt(r.homeys.size());
            text(d, null);
            for (String h : r.homeys) {
                t.writeShort(4);
                t.writeInt(8);
                t.writeLong(micros);
                text(t, r.id);
                text(t, h);
                text(t, r.webhookId);
            }
        }
        d.writeShort(-1);
        t.writeShort(-1);
        copy.copyIn("COPY delivery (received_at, id, webhook_id, method, headers, raw_query, content_type, body,"
                + " routed_by, rule_detail, matched, replay_of) FROM STDIN (FORMAT binary)",
                new java.io.ByteArrayInputStream(dBytes.toByteArray()));
        copy.copyIn("COPY delivery_target (received_at, delivery_id, homey_id, webhook_id) FROM STDIN (FORMAT binary)",
                new java.io.ByteArrayInputStream(tBytes.toByteArray()));
    }

    private static DataOutputStream header(ByteArrayOutputStream bytes) throws IOException {
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(0);
        return out;
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
