package dev.switchboard.ingest;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.delivery.dispatch.Dispatcher;
import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.routing.LegacyFunctions;
import dev.switchboard.routing.RoutableWebhook;
import dev.switchboard.routing.RouteDecision;
import dev.switchboard.routing.Router;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Route, then hand over to delivery: what happens to every accepted request, whether a sender posted it or a
 * developer replays one from the log. Routing runs on the caller's event loop unless a legacy function must run
 * (that leaves the event loop); the {@link Dispatcher} records the request and, once it is committed, tells the live
 * log and sends the connected Homeys their message. Nothing here blocks.
 */
@ApplicationScoped
public class Forwarder {

    /**
     * Hears how forwarding ended, on the caller's context: a committed record, or why there is none. Besides
     * recording's failures, {@link RoutingFailed} when a legacy function could not be run and {@link Saturated} when
     * the legacy functions' queue is full. Delivery hears it directly: no adapter per request.
     */
    @FunctionalInterface
    public interface Outcome extends Dispatcher.Recorded {
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
    private final Dispatcher dispatcher;
    private final Vertx vertx;

    public Forwarder(Router router, Dispatcher dispatcher, Vertx vertx) {
        this.router = router;
        this.dispatcher = dispatcher;
        this.vertx = vertx;
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
                    dispatcher.record(on, webhook.id(), payload, receivedAt, rawQuery, replayOf, decision, then);
                }
            }));
        } else {
            dispatcher.record(on, webhook.id(), payload, receivedAt, rawQuery, replayOf, router.route(webhook, payload),
                    then);
        }
    }
}
