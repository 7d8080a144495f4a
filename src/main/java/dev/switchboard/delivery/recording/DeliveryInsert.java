package dev.switchboard.delivery.recording;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.outcomes.DeliveryOutcomes;

/**
 * Writes a batch of delivery records, with one pending target per matched Homey whose target is not deferred
 * (those are listed on the delivery and written later by
 * {@link dev.switchboard.delivery.outcomes.DeliveryOutcomes}), as two binary COPYs in the caller's transaction. Not
 * thread-safe: the recorder's one writer thread owns it.
 */
final class DeliveryInsert {

    private static final String COPY_DELIVERIES = "COPY delivery (received_at, id, webhook_id, method, headers,"
            + " raw_query, content_type, body, routed_by, rule_detail, matched, replay_of, deferred_homey_ids)"
            + " FROM STDIN (FORMAT binary)";
    private static final String COPY_TARGETS = "COPY delivery_target (received_at, delivery_id, homey_id, webhook_id)"
            + " FROM STDIN (FORMAT binary)";
    private static final ObjectNode NO_HEADERS = JsonNodeFactory.instance.objectNode();
    private static final byte[] NO_BODY = new byte[0];

    private interface Rows {
        void writeTo(CopyBinary out) throws SQLException;
    }

    private final ObjectMapper mapper;
    /** Reused by every COPY: one writer thread records, so a batch never allocates its encoding buffer anew. */
    private final CopyBinary.Buffer buffer = new CopyBinary.Buffer(64 * 1024);

    DeliveryInsert(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void write(Connection connection, List<DeliveryRecord> records) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        List<List<String>> pendingTargets = new ArrayList<>(records.size());
        int[] matched = new int[records.size()];
        int targetRows = 0;
        for (int i = 0; i < records.size(); i++) {
            DeliveryRecord r = records.get(i);
            // A Homey listed twice is still one target (and one primary key).
            List<String> distinct = r.homeyIds().size() < 2 ? r.homeyIds()
                    : List.copyOf(new LinkedHashSet<>(r.homeyIds()));
            List<String> pending = r.deferredHomeyIds().isEmpty() ? distinct
                    : distinct.stream().filter(id -> !r.deferredHomeyIds().contains(id)).toList();
            matched[i] = distinct.size();
            pendingTargets.add(pending);
            targetRows += pending.size();
        }
        copy(pg, COPY_DELIVERIES, out -> {
            for (int i = 0; i < records.size(); i++) {
                deliveryRow(out, records.get(i), matched[i]);
            }
        });
        if (targetRows > 0) {
            copy(pg, COPY_TARGETS, out -> {
                for (int i = 0; i < records.size(); i++) {
                    DeliveryRecord r = records.get(i);
                    Instant receivedAt = DeliveryIds.timeOf(r.id());
                    for (String homeyId : pendingTargets.get(i)) {
                        out.row(4).timestamptz(receivedAt).text(r.id()).text(homeyId).text(r.webhookId());
                    }
                }
            });
        }
    }

    private void deliveryRow(CopyBinary out, DeliveryRecord r, int matched) throws SQLException {
        out.row(13)
                // The partition key comes from the ID, so outcome updates, which know only the ID, find the row.
                .timestamptz(DeliveryIds.timeOf(r.id()))
                .text(r.id())
                .text(r.webhookId())
                .text(r.method())
                .json(r.headers() == null ? NO_HEADERS : r.headers())
                .text(r.rawQuery())
                .text(r.contentType())
                .bytea(r.body() == null ? NO_BODY : r.body())
                .text(r.routedBy().code())
                .json(r.ruleDetail())
                .int4(matched)
                .text(r.replayOf())
                .textArray(r.deferredHomeyIds());
    }

    private void copy(PGConnection pg, String sql, Rows rows) throws SQLException {
        CopyIn in = pg.getCopyAPI().copyIn(sql);
        try {
            CopyBinary out = new CopyBinary((bytes, length) -> in.writeToCopy(bytes, 0, length), buffer, mapper);
            rows.writeTo(out);
            out.finish();
            in.endCopy();
        } catch (SQLException | RuntimeException e) {
            // Leave the connection usable for the rollback: an open COPY would swallow the next command.
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException cancelFailed) {
                    e.addSuppressed(cancelFailed);
                }
            }
            throw e;
        }
    }
}
