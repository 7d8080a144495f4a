package dev.switchboard.portal;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.switchboard.webhook.PublicUrls;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;
import dev.switchboard.webhook.EnvJson;

/** Maps webhooks to what the pages show. */
@ApplicationScoped
public class PortalViews {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final String MASK = "•".repeat(43);

    private final WebhookService webhooks;
    private final PublicUrls urls;
    private final ObjectMapper prettyJson;

    public PortalViews(WebhookService webhooks, PublicUrls urls, ObjectMapper mapper) {
        this.webhooks = webhooks;
        this.urls = urls;
        this.prettyJson = mapper.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    WebhookRow row(Webhook webhook) {
        return new WebhookRow(webhook.id, webhook.name, routingLabel(webhook), webhook.createdAt, text(webhook.createdAt));
    }

    /** The webhook page; its env.json holds the secret only when {@code reveal}, after the owner asked for it. */
    WebhookDetail detail(Webhook webhook, URI requestBase, boolean reveal) {
        String base = urls.base(requestBase);
        String senderUrl = base + "/webhook/" + webhook.id;
        Instant previousUntil = webhooks.previousSecretOf(webhook).isPresent() ? webhook.previousSecretExpiresAt : null;
        return new WebhookDetail(webhook.id, webhook.name, routingLabel(webhook), webhook.createdAt,
                text(webhook.createdAt), reveal ? envJson(base, webhook.id, webhooks.secretOf(webhook)) : null,
                envJson(base, webhook.id, MASK),
                previousUntil, text(previousUntil), senderUrl, senderUrl + "?homey=<homeyId>",
                webhook.keyPath == null ? "" : webhook.keyPath,
                KeyPathCheck.of(webhook.keyPath, webhook.legacyFunction != null),
                webhook.legacyFunction, text(webhook.legacyImportedAt), webhook.name, null);
    }

    static String routingLabel(Webhook webhook) {
        return switch (WebhookService.routingOf(webhook)) {
            case "key_path" -> "?homey= or key path " + webhook.keyPath;
            case "legacy_function" -> "?homey= or legacy function";
            default -> "?homey= only";
        };
    }

    static String text(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    private String envJson(String base, String id, String secret) {
        try {
            return prettyJson.writeValueAsString(new EnvJson(base, id, secret));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
