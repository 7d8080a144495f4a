package dev.switchboard.delivery.log;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.payload.HeaderRedaction;
import dev.switchboard.payload.QueryRedaction;
import dev.switchboard.payload.HomeyMessageFrame;
import dev.switchboard.payload.InboundRequest;
import dev.switchboard.payload.PayloadParser;
import dev.switchboard.payload.WebhookPayload;

/**
 * Shows a logged delivery: credentials redacted first, then the request read the way a Homey receives it (the same
 * parser as the sender endpoint, so the log never disagrees with what was delivered).
 */
@ApplicationScoped
public class DeliveryViews {

    private final PayloadParser parser;
    private final ObjectMapper mapper;

    public DeliveryViews(PayloadParser parser, ObjectMapper mapper) {
        this.parser = parser;
        this.mapper = mapper;
    }

    public DeliveryDetailView detail(StoredDelivery d) {
        WebhookPayload payload = redactedPayload(d);
        List<DeliveryDetailView.TargetView> targets = d.targets().stream()
                .map(t -> new DeliveryDetailView.TargetView(t.homeyId(), t.state(), t.attempts(), t.firstSentAt(),
                        t.lastSentAt(), t.ackedAt()))
                .toList();
        byte[] raw = d.body();
        return new DeliveryDetailView(d.id(), d.webhookId(), d.receivedAt(), d.method(), payload.headers(),
                payload.query(), QueryRedaction.redact(d.rawQuery()), d.contentType(), payload.bodyKind().name().toLowerCase(Locale.ROOT),
                payload.body(), raw.length == 0 ? null : Base64.getEncoder().encodeToString(raw), raw.length,
                d.routedBy().code(), d.ruleDetail(), RuleExplanation.of(d.routedBy(), d.ruleDetail(), d.matched()),
                d.matched(), targets, d.targetsTruncated(), d.replayOf());
    }

    /**
     * The request as the {@code message} frame a Homey app receives (DESIGN.md, "Homey endpoint"), credential
     * headers and query parameters redacted: a fixture for an app's tests that is safe to commit.
     */
    public ObjectNode fixture(StoredDelivery d) {
        byte[] frame = HomeyMessageFrame.write(mapper, d.id(), d.webhookId(), d.receivedAt(), redactedPayload(d));
        try {
            return (ObjectNode) mapper.readTree(frame);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A frame we wrote does not parse", e);
        }
    }

    /** The curl command reproducing the request against {@code senderUrl}, without credential headers or parameters. */
    public CurlCommand curl(StoredDelivery d, String senderUrl) {
        return CurlCommand.of(senderUrl, d.method(), d.headers(), QueryRedaction.withoutCredentials(d.rawQuery()),
                d.body());
    }

    private WebhookPayload redactedPayload(StoredDelivery d) {
        ObjectNode redacted = HeaderRedaction.redact(d.headers());
        List<Map.Entry<String, String>> headers = new ArrayList<>(redacted.size());
        for (Map.Entry<String, JsonNode> header : redacted.properties()) {
            headers.add(Map.entry(header.getKey(), header.getValue().asText()));
        }
        return parser.parse(new InboundRequest(d.method(), headers, QueryRedaction.redact(d.rawQuery()), d.body()));
    }
}
