package dev.switchboard.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.RecordingListener;

/**
 * Cluster mode: deliveries recorded here reach the live delivery log pages served by the other nodes. Their IDs are
 * gathered per webhook and {@link ClusterNode} publishes them together every {@link #EVERY_MILLIS} ms, at most
 * {@link #IDS_PER_WEBHOOK} per webhook: beyond that the other nodes' pages of that webhook read their rows again,
 * which shows them all. Gathers nothing on a single node.
 */
@ApplicationScoped
public class ClusterDeliveries implements RecordingListener {

    static final long EVERY_MILLIS = 250;
    /** More than a page shows at once: a page told of more reads its newest rows instead. */
    static final int IDS_PER_WEBHOOK = 50;
    private static final String TOO_MANY = "*";

    private final boolean clustered;
    /** IDs recorded since the last {@link #take()}, by webhook; one past {@link #IDS_PER_WEBHOOK} marks too many. */
    private final Map<String, List<String>> gathered = new ConcurrentHashMap<>();

    @Inject
    ClusterDeliveries(ClusterConfig config) {
        this(config.redisUrl().isPresent());
    }

    ClusterDeliveries(boolean clustered) {
        this.clustered = clustered;
    }

    @Override
    public void recorded(DeliveryRecord record) {
        if (!clustered) {
            return;
        }
        String id = record.id();
        // compute() holds the entry while it adds, so take() never removes a list that is still being added to.
        gathered.compute(record.webhookId(), (webhookId, ids) -> {
            List<String> list = ids == null ? new ArrayList<>(4) : ids;
            if (list.size() <= IDS_PER_WEBHOOK) {
                list.add(id);
            }
            return list;
        });
    }

    /**
     * What was recorded since the last call as the field of a {@link ClusterBus#RECORDED} message
     * ({@code webhookId=id,id;webhookId=*;…}, {@code *} for too many to list), or null when nothing was.
     */
    String take() {
        StringBuilder field = new StringBuilder();
        for (String webhookId : gathered.keySet()) {
            gathered.computeIfPresent(webhookId, (key, ids) -> {
                field.append(key).append('=');
                if (ids.size() > IDS_PER_WEBHOOK) {
                    field.append(TOO_MANY);
                } else {
                    field.append(String.join(",", ids));
                }
                field.append(';');
                return null;
            });
        }
        return field.isEmpty() ? null : field.toString();
    }

    /** The IDs by webhook in a field written by {@link #take()}; an empty list for too many to list. */
    static Map<String, List<String>> decode(String field) {
        Map<String, List<String>> byWebhook = new LinkedHashMap<>();
        for (String entry : field.split(";")) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("Malformed list of recorded deliveries");
            }
            String ids = entry.substring(equals + 1);
            byWebhook.put(entry.substring(0, equals), ids.equals(TOO_MANY) ? List.of() : List.of(ids.split(",")));
        }
        return byWebhook;
    }
}
