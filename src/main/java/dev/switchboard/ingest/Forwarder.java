package dev.switchboard.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.HomeyMessage;
import dev.switchboard.delivery.OnlineHomeys;
import dev.switchboard.delivery.RemoteHomeys;
import dev.switchboard.delivery.log.DeliveryFeed;
import dev.switchboard.delivery.outcomes.DeliveryOutcomes;
import dev.switchboard.delivery.recording.DeliveryRecorder;
import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.routing.LegacyFunctions;
import dev.switchboard.routing.RoutableWebhook;
import dev.switchboard.routing.RouteDecision;
import dev.switchboard.routing.Router;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Route, record, then deliver: what happens to every accepted request, whether a sender posted it or a developer
 * replays one from the log. Routing runs on the caller's event loop unless a legacy function must run (that
 * leaves the event loop); recording is the group commit; only once it is committed are the live log told and the
 * connected Homeys sent their message. Nothing here blocks.
 */
@ApplicationScoped
public class Forwarder {

    /** Hears how forwarding ended, on the caller's context: a committed record, or why there is none. */
    @FunctionalInterface
    public interface Outcome {
        /**
         * @param record  the committed delivery, or null on failure
         * @param failure null on success; {@link dev.switchboard.delivery.RecordingUnavailable} when it could not be
         *                recorded, {@link RoutingFailed} when a legacy function could not be run
         */
        void done(DeliveryRecord record, Throwable failure);
    }

    /** Routing itself failed (not a function that threw: that is no match): nothing was recorded. */
    public static final class RoutingFailed extends RuntimeException {
        RoutingFailed(Throwable cause) {
            super("Routing failed", cause);
        }
    }

    /** The legacy functions' queue is full: nothing was recorded; the sender should retry (503, Retry-After). */
    public static final class Saturated extends RuntimeException {
        Saturated() {
            super("Legacy functions are saturated", null, false, false);
        }
    }

    private final Router router;
    private final DeliveryRecorder recorder;
    private final DeliveryOutcomes outcomes;
    private final OnlineHomeys online;
    private final DeliveryFeed feed;
    private final Vertx vertx;
    private final Counter matched;

    public Forwarder(Router router, DeliveryRecorder recorder, DeliveryOutcomes outcomes, OnlineHomeys online,
            DeliveryFeed feed, Vertx vertx, MeterRegistry meters) {
        this.router = router;
        this.recorder = recorder;
        this.outcomes = outcomes;
        this.online = online;
        this.feed = feed;
        this.vertx = vertx;
        this.matched = meters.counter("switchboard.ingest.matched.homeys");
    }

    /** True while a request that needs a legacy function would be refused ({@link Saturated}). */
    public boolean legacyFunctionsSaturated() {
        return router.legacyFunctionsSaturated();
    }

    /**
     * Forwards one request received at {@code receivedAt} (millisecond precision). {@code then} runs on
     * {@code context} (the caller's event loop; null to get one) before the Homeys are sent the message, so a
     * sender hears 200 first.
     *
     * @param rawQuery the query string as received, without {@code ?}, or null
     * @param replayOf the delivery this request replays, or null
     */
    public void forward(Context context, RoutableWebhook webhook, WebhookPayload payload, Instant receivedAt,
            String rawQuery, String replayOf, Outcome then) {
        Context on = context != null ? context : vertx.getOrCreateContext();
        if (router.needsLegacyFunction(webhook, payload)) {
            // On the functions' own bounded executor; completes on `on`, like everything else the caller hears.
            router.routeOffLoop(webhook, payload).whenComplete((decision, failure) -> on.runOnContext(v -> {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
                if (cause instanceof LegacyFunctions.Saturated) {
                    then.done(null, new Saturated());
                } else if (cause != null) {
                    Log.errorf(cause, "Legacy routing failed for webhookId=%s", webhook.id());
                    then.done(null, new RoutingFailed(cause));
                } else {
                    record(on, webhook, payload, receivedAt, rawQuery, replayOf, decision, then);
                }
            }));
        } else {
            record(on, webhook, payload, receivedAt, rawQuery, replayOf, router.route(webhook, payload), then);
        }
    }

    private void record(Context context, RoutableWebhook webhook, WebhookPayload payload, Instant receivedAt,
            String rawQuery, String replayOf, RouteDecision decision, Outcome then) {
        String id = DeliveryIds.next(receivedAt);
        // Online Homeys get the message at once and usually acknowledge it within milliseconds: their targets' rows
        // are written once, with that outcome, instead of pending first and updated after.
        List<String> deferred = outcomes.defer(id, webhook.id(), connectedAmong(decision.homeyIds()));
        DeliveryRecord record = new DeliveryRecord(id, webhook.id(), receivedAt, payload.method(), payload.headers(),
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
                feed.recorded(record);
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
     * only if one of them is online here or deferred (or, in cluster mode, may be on another node); the others read it back from the log when they connect. A deferred target the Homey
     * cannot take now (it went offline, or older messages wait) gets its pending row at once and is offered again
     * once that row is written, so a refill that read the database before cannot miss it.
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
            if (!online.push(homeyId, message) && deferred) {
                HomeyMessage again = message;
                outcomes.declined(record.id(), homeyId,
                        () -> context.runOnContext(v -> online.push(homeyId, again)));
            }
        }
    }
}
