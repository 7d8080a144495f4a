package dev.switchboard.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.log.StoredDelivery;
import dev.switchboard.payload.InboundRequest;
import dev.switchboard.payload.PayloadParser;
import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.delivery.RecordingUnavailable;
import dev.switchboard.routing.RoutableWebhook;
import dev.switchboard.routing.WebhookDirectory;
import io.quarkus.logging.Log;

/**
 * Sends a logged request through forwarding again, as if the sender had just posted it: routed by the webhook's
 * current key path and registrations, recorded as a new delivery that names the original in {@code replay_of},
 * and delivered to the Homeys it matches now. The Homeys receive exactly the original request (headers unredacted,
 * same body) under the new delivery ID.
 */
@ApplicationScoped
public class Replays {

    private final WebhookDirectory directory;
    private final Forwarder forwarder;
    private final PayloadParser parser;
    private final Clock clock;

    public Replays(WebhookDirectory directory, Forwarder forwarder, PayloadParser parser, Clock clock) {
        this.directory = directory;
        this.forwarder = forwarder;
        this.parser = parser;
        this.clock = clock;
    }

    /** How a replay ended; each face says it its own way. */
    public sealed interface Replayed {
    }

    /** The new delivery is committed. */
    public record Recorded(DeliveryRecord delivery) implements Replayed {
    }

    /** The webhook was deleted meanwhile: nothing was recorded. */
    public record WebhookGone() implements Replayed {
    }

    /** It could not be recorded now (or routing failed); nothing was delivered. Try again after the delay. */
    public record NotRecorded(long retryAfterSeconds) implements Replayed {
    }

    /** Completes with how it ended, never exceptionally. */
    public CompletionStage<Replayed> replay(StoredDelivery original) {
        RoutableWebhook webhook = directory.find(original.webhookId()).orElse(null);
        if (webhook == null) {
            return CompletableFuture.completedFuture(new WebhookGone());
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(original.headers().size());
        for (Map.Entry<String, JsonNode> header : original.headers().properties()) {
            headers.add(Map.entry(header.getKey(), header.getValue().asText()));
        }
        WebhookPayload payload = parser.parse(
                new InboundRequest(original.method(), headers, original.rawQuery(), original.body()));
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        CompletableFuture<Replayed> done = new CompletableFuture<>();
        forwarder.forward(null, webhook, payload, receivedAt, original.rawQuery(), original.id(), (record, failure) -> {
            if (failure instanceof RecordingUnavailable unavailable) {
                done.complete(new NotRecorded(Math.max(1, unavailable.retryAfter().toSeconds())));
            } else if (failure != null) {
                if (!(failure instanceof Forwarder.RoutingFailed) && !(failure instanceof Forwarder.Saturated)) {
                    Log.errorf(failure, "Replay of deliveryId=%s of webhookId=%s failed", original.id(), webhook.id());
                }
                done.complete(new NotRecorded(1));
            } else {
                Log.infof("Replayed deliveryId=%s of webhookId=%s as deliveryId=%s", original.id(), webhook.id(),
                        record.id());
                done.complete(new Recorded(record));
            }
        });
        return done;
    }
}
