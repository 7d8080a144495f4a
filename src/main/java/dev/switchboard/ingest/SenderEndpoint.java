package dev.switchboard.ingest;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.RecordingUnavailable;
import dev.switchboard.payload.InboundRequest;
import dev.switchboard.payload.PayloadParser;
import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.problem.Problem;
import dev.switchboard.problem.ProblemWriter;
import dev.switchboard.ratelimit.RateLimiter;
import dev.switchboard.routing.RoutableWebhook;
import dev.switchboard.routing.WebhookDirectory;
import dev.switchboard.security.SelfAuthenticatingRoutes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code ANY /webhook/{webhookId}}: the hot path. Runs on the event loop and reads no table: the webhook and its
 * registrations come from memory, and the {@link Forwarder} routes the request and has the group-committing
 * recorder commit it; only then does the sender get 200 and the connected Homeys their message.
 */
@ApplicationScoped
public class SenderEndpoint {

    private static final Set<HttpMethod> METHODS = Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
            HttpMethod.PATCH, HttpMethod.DELETE);
    private static final Problem WEBHOOK_NOT_FOUND = Problem.of(404, "webhook_not_found", "Not Found",
            "No webhook with this ID");
    private static final Problem METHOD_NOT_ALLOWED = Problem.of(405, "method_not_allowed", "Method Not Allowed",
            "Use GET, POST, PUT, PATCH or DELETE");
    private static final Problem RATE_LIMITED = Problem.rateLimited("This webhook receives too many requests");
    private static final Problem ROUTING_FAILED = Problem.unavailable("Try again shortly");
    private static final Problem LEGACY_SATURATED = Problem.unavailable(
            "Too many requests wait for this kind of webhook's routing; nothing was recorded. Try again shortly.");
    private static final Problem NOT_RECORDED = Problem.unavailable(
            "The request could not be recorded; nothing was delivered. Try again.");

    private final WebhookDirectory directory;
    private final Forwarder forwarder;
    private final PayloadParser parser;
    private final ProblemWriter problems;
    private final IngestConfig config;
    private final Clock clock;
    private final RateLimiter perWebhook;
    private final StorageQuota quota;
    private final MeterRegistry meters;
    private final Counter accepted;
    /** Refusals by problem code: with {@link #accepted}, what the endpoint answered (it has no per-request timer). */
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Problem tooLarge;

    public SenderEndpoint(WebhookDirectory directory, Forwarder forwarder, PayloadParser parser, ProblemWriter problems,
            IngestConfig config, Clock clock, MeterRegistry meters, StorageQuota quota) {
        this.directory = directory;
        this.forwarder = forwarder;
        this.parser = parser;
        this.problems = problems;
        this.config = config;
        this.clock = clock;
        this.perWebhook = new RateLimiter(config.ratePerSecond(), config.burst(), 1_000_000);
        this.quota = quota;
        this.meters = meters;
        this.accepted = meters.counter("switchboard.ingest.accepted");
        this.tooLarge = Problem.of(413, "payload_too_large", "Content Too Large",
                "The body is larger than " + config.maxBodyBytes() + " bytes");
    }

    void register(@Observes Router vertxRouter) {
        vertxRouter.route("/webhook/:webhookId").order(SelfAuthenticatingRoutes.ORDER).handler(this::handle);
        vertxRouter.route("/webhook/:webhookId/").order(SelfAuthenticatingRoutes.ORDER).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String webhookId = ctx.pathParam("webhookId");
        RoutableWebhook webhook = directory.find(webhookId).orElse(null);
        if (webhook == null) {
            problem(ctx, WEBHOOK_NOT_FOUND, 0);
            return;
        }
        if (!METHODS.contains(request.method())) {
            ctx.response().putHeader("Allow", "GET, POST, PUT, PATCH, DELETE");
            problem(ctx, METHOD_NOT_ALLOWED, 0);
            return;
        }
        long wait = perWebhook.tryAcquire(webhookId, System.nanoTime());
        if (wait > 0) {
            problem(ctx, RATE_LIMITED, RateLimiter.retryAfterSeconds(wait));
            return;
        }
        if (quota.exhausted(webhook)) {
            refuseBody(ctx, StorageQuota.EXCEEDED, quota.secondsUntilRenewal(), 0);
            return;
        }
        String length = request.getHeader("Content-Length");
        if (length != null && parseLength(length) > config.maxBodyBytes()) {
            refuseBody(ctx, tooLarge, 0, 0);
            return;
        }
        if (webhook.keyPath().isEmpty() && webhook.legacyFunction().isPresent() && request.getParam("homey") == null
                && forwarder.legacyFunctionsSaturated()) {
            // Refused before its body is buffered: a flood of large bodies for legacy webhooks holds no memory.
            refuseBody(ctx, LEGACY_SATURATED, 1, 0);
            return;
        }
        readBody(ctx, body -> accept(ctx, webhook, body));
    }

    private void readBody(RoutingContext ctx, java.util.function.Consumer<byte[]> then) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        boolean[] failed = { false };
        request.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (body.length() + chunk.length() > config.maxBodyBytes()) {
                failed[0] = true;
                refuseBody(ctx, tooLarge, 0, body.length() + chunk.length());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> failed[0] = true);
        request.endHandler(v -> {
            if (!failed[0]) {
                then.accept(body.getBytes());
            }
        });
        request.resume();
    }

    /**
     * Answers a request whose body will not be read, while the sender may still be writing it. Closing at once would
     * make the sender's TCP stack see a reset (unread bytes) or, on HTTP/2, a GOAWAY, and most clients then report
     * that instead of the answer. So the rest of the body is read into nothing, up to
     * {@link IngestConfig#maxDiscardedBytes()}; an HTTP/1.x connection is closed once the request has ended (the
     * answer says {@code Connection: close}), an HTTP/2 stream is left to end by itself.
     */
    private void refuseBody(RoutingContext ctx, Problem problem, long retryAfter, long alreadyRead) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        if (response.ended()) {
            return;
        }
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        if (!http2) {
            response.putHeader("Connection", "close");
        }
        write(response, problem, retryAfter);
        if (request.isEnded()) {
            closeAfterAnswer(ctx, http2);
            return;
        }
        if (!http2 && "100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // The sender waits for 100 Continue before writing the body, which it will not get: nothing to discard.
            closeAfterAnswer(ctx, false);
            return;
        }
        long[] discarded = { alreadyRead };
        request.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > config.maxDiscardedBytes()) {
                request.handler(null);
                request.endHandler(null);
                if (http2) {
                    response.reset(0); // NO_ERROR after a complete answer: "stop sending" (RFC 9113, 8.1)
                } else {
                    request.connection().close();
                }
            }
        });
        request.exceptionHandler(e -> { });
        request.endHandler(v -> closeAfterAnswer(ctx, http2));
        request.resume();
    }

    private static void closeAfterAnswer(RoutingContext ctx, boolean http2) {
        if (!http2) {
            ctx.request().connection().close();
        }
    }

    private void accept(RoutingContext ctx, RoutableWebhook webhook, byte[] body) {
        HttpServerRequest request = ctx.request();
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size());
        request.headers().forEach(header -> headers.add(Map.entry(header.getKey(), header.getValue())));
        long size = StorageQuota.sizeOf(body, headers, request.query());
        if (!quota.charge(webhook, size)) {
            problem(ctx, StorageQuota.EXCEEDED, quota.secondsUntilRenewal());
            return;
        }
        WebhookPayload payload = parser.parse(new InboundRequest(request.method().name(), headers, request.query(), body));
        forwarder.forward(Vertx.currentContext(), webhook, payload, receivedAt, request.query(), null,
                (record, failure) -> {
                    if (failure != null) {
                        quota.refund(webhook, size);
                    }
                    answer(ctx, record, failure);
                });
    }

    private void answer(RoutingContext ctx, DeliveryRecord record, Throwable failure) {
        if (failure instanceof Forwarder.Saturated) {
            problem(ctx, LEGACY_SATURATED, 1);
        } else if (failure instanceof Forwarder.RoutingFailed) {
            problem(ctx, ROUTING_FAILED, 1);
        } else if (failure != null) {
            long retryAfter = failure instanceof RecordingUnavailable unavailable
                    ? Math.max(1, unavailable.retryAfter().toSeconds()) : 1;
            problem(ctx, NOT_RECORDED, retryAfter);
        } else {
            ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end("{\"status\":\"accepted\",\"deliveryId\":\"" + record.id() + "\"}");
            accepted.increment();
        }
    }

    private void problem(RoutingContext ctx, Problem problem, long retryAfter) {
        if (ctx.response().ended()) {
            return;
        }
        write(ctx.response(), problem, retryAfter);
    }

    private void write(HttpServerResponse response, Problem problem, long retryAfter) {
        refused.computeIfAbsent(problem.code(), code -> meters.counter("switchboard.ingest.refused", "code", code))
                .increment();
        problems.write(response, problem, retryAfter);
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
