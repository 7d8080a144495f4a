package dev.switchboard.delivery.dispatch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.HomeyMessage;
import dev.switchboard.delivery.OnlineHomeys;
import dev.switchboard.delivery.RecordingListener;
import dev.switchboard.delivery.RemoteHomeys;
import dev.switchboard.delivery.outcomes.DeliveryOutcomes;
import dev.switchboard.delivery.recording.DeliveryRecorder;
import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.routing.RouteDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;

/**
 * The hot path's one way into delivery: record a routed request for its targets, some of whose Homeys are online,
 * and once it is committed tell the live log and send it to them. Owns the protocol between the recorder and the
 * outcome writer: online Homeys' targets are deferred (their row is written once, with its outcome), then committed
 * or abandoned with the delivery, and a deferred target its Homey declines gets its pending row and is offered again.
 * Nothing here blocks.
 */
@ApplicationScoped
public class Dispatcher {

    /** Hears how recording ended, on the caller's context: a committed record, or why there is none. */
    @FunctionalInterface
    public interface Recorded {
        /**
         * @param record  the committed delivery, or null on failure
         * @param failure null on success; {@link dev.switchboard.delivery.RecordingUnavailable} when it could not be
         *                recorded
         */
        void done(DeliveryRecord record, Throwable failure);
    }

    private final DeliveryRecorder recorder;
    private final DeliveryOutcomes outcomes;
    private final OnlineHomeys online;
    private final List<RecordingListener> listeners;
    private final Counter matched;

    public Dispatcher(DeliveryRecorder recorder, DeliveryOutcomes outcomes, OnlineHomeys online,
            Instance<RecordingListener> listeners, MeterRegistry meters) {
        this.recorder = recorder;
        this.outcomes = outcomes;
        this.online = online;
        this.listeners = listeners.stream().toList();
        // Named for where it is counted from the sender's side; kept so dashboards keep working.
        this.matched = meters.counter("switchboard.ingest.matched.homeys");
    }

    /**
     * Records the request received at {@code receivedAt} (millisecond precision) for the Homeys {@code decision}
     * matched. {@code then} runs on {@code context} before the Homeys are sent the message, so a sender hears 200
     * first.
     *
     * @param rawQuery the query string as received, without {@code ?}, or null
     * @param replayOf the delivery this request replays, or null
     */
    public void record(Context context, String webhookId, WebhookPayload payload, Instant receivedAt, String rawQuery,
            String replayOf, RouteDecision decision, Recorded then) {
        String id = DeliveryIds.next(receivedAt);
        // Online Homeys get the message at once and usually acknowledge it within milliseconds: their targets' rows
        // are written once, with that outcome, instead of pending first and updated after.
        List<String> deferred = outcomes.defer(id, webhookId, connectedAmong(decision.homeyIds()));
        DeliveryRecord record = new DeliveryRecord(id, webhookId, receivedAt, payload.method(), payload.headers(),
                rawQuery, payload.contentType(), payload.rawBody(), decision.routedBy(), decision.detail(),
                decision.homeyIds(), deferred, replayOf);
        recorder.record(record).whenComplete((ok, failure) -> {
            if (failure != null) {
                outcomes.abandoned(id, deferred);
            } else {
                outcomes.committed(id, deferred);
            }
            context.runOnContext(v -> {
                if (failure != null) {
                    then.done(null, failure);
                    return;
                }
                then.done(record, null);
                // The live log first: a Homey's acknowledgement can only follow the push, so a watcher sees the
                // delivery before any change of its state.
                for (RecordingListener listener : listeners) {
                    listener.recorded(record);
                }
                push(context, record, payload);
            });
        });
    }

    private List<String> connectedAmong(List<String> homeyIds) {
        if (homeyIds.isEmpty()) {
            return List.of();
        }
        List<String> connected = new ArrayList<>(homeyIds.size());
        for (String homeyId : homeyIds) {
            if (online.isOnline(homeyId) && !connected.contains(homeyId)) {
                connected.add(homeyId);
            }
        }
        return connected;
    }

    /**
     * One message per request, shared by every matched Homey (its frame is rendered once, by the socket side). Made
     * only if one of them is online here or deferred (or, in cluster mode, may be on another node); the others read
     * it back from the log when they connect. A deferred target the Homey cannot take now (it went offline, or older
     * messages wait) gets its pending row at once and is offered again once that row is written, so a refill that
     * read the database before cannot miss it.
     */
    private void push(Context context, DeliveryRecord record, WebhookPayload payload) {
        if (record.homeyIds().isEmpty()) {
            return;
        }
        matched.increment(record.homeyIds().size());
        HomeyMessage message = null;
        RemoteHomeys elsewhere = online.elsewhere();
        for (String homeyId : record.homeyIds()) {
            boolean deferred = record.deferredHomeyIds().contains(homeyId);
            if (!deferred && !online.isOnline(homeyId)) {
                if (elsewhere != null) {
                    // Cluster mode: its target is pending in the log; the node holding its socket may send it now.
                    if (message == null) {
                        message = new HomeyMessage(record, payload);
                    }
                    elsewhere.handOver(homeyId, message);
                }
                continue;
            }
            if (message == null) {
                message = new HomeyMessage(record, payload);
            }
            if (!deferred) {
                online.push(homeyId, message);
            } else if (!online.pushDeferred(homeyId, message)) {
                HomeyMessage again = message;
                outcomes.declined(record.id(), homeyId,
                        () -> context.runOnContext(v -> online.deferredRowWritten(homeyId, again)));
            }
        }
    }
}
