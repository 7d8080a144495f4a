package dev.switchboard.homey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.routing.RoutingChanges;
import dev.switchboard.webhook.Credentials;
import dev.switchboard.webhook.SecretCipher;
import dev.switchboard.webhook.Webhook;
import dev.switchboard.webhook.WebhookService;
import dev.switchboard.webhook.keypath.RegistrationKeys;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Enrollment, authentication and registrations of Homeys. */
@ApplicationScoped
public class HomeyService {

    private final WebhookService webhooks;
    private final RoutingChanges routing;
    private final SecretCipher cipher;
    private final Clock clock;
    private final HomeyConfig config;

    public HomeyService(WebhookService webhooks, RoutingChanges routing, SecretCipher cipher, Clock clock,
            HomeyConfig config) {
        this.webhooks = webhooks;
        this.routing = routing;
        this.cipher = cipher;
        this.clock = clock;
        this.config = config;
    }

    /** Credentials shown once: only the key's hash is kept (and, for a test Homey, the key encrypted). */
    public record Enrollment(String homeyId, String homeyKey) {
    }

    @Transactional
    public Enrollment enroll(String ownerId, String label) {
        Homey homey = new Homey();
        homey.id = Credentials.newId();
        String key = Credentials.newSecret();
        homey.keyHash = hash(key);
        homey.ownerId = ownerId;
        if (ownerId != null) {
            // The simulator reconnects a test Homey from any of its owner's browsers, so its key is kept.
            homey.keyCiphertext = cipher.encrypt(keyBinding(homey.id), key);
        }
        homey.label = label;
        homey.createdAt = clock.instant();
        homey.persist();
        Log.infof("Homey enrolled homeyId=%s%s", homey.id, ownerId == null ? "" : " (test Homey of " + ownerId + ")");
        return new Enrollment(homey.id, key);
    }

    @Transactional
    public boolean authenticate(String homeyId, String homeyKey) {
        if (!Credentials.isWellFormedId(homeyId) || homeyKey == null) {
            return false;
        }
        Optional<Homey> homey = Homey.findByIdOptional(homeyId);
        if (homey.isEmpty() || !MessageDigest.isEqual(homey.get().keyHash, hash(homeyKey))) {
            return false;
        }
        homey.get().lastSeenAt = clock.instant();
        return true;
    }

    public enum SubscribeError {
        WEBHOOK_NOT_FOUND("webhook_not_found", "No webhook with this ID"),
        INVALID_SECRET("invalid_secret", "The secret does not match this webhook"),
        INVALID_DATA("invalid_data", "data must be a JSON object"),
        DATA_TOO_LARGE("data_too_large", "data is too large"),
        TOO_MANY_KEYS("too_many_keys", "$keys has too many entries"),
        TOO_MANY_REGISTRATIONS("too_many_registrations", "This Homey has too many registrations");

        public final String code;
        public final String message;

        SubscribeError(String code, String message) {
            this.code = code;
            this.message = message;
        }
    }

    /** {@code createWebhook(id, secret, data)}: creates or replaces the registration. Empty on success. */
    public Optional<SubscribeFailure> subscribe(String homeyId, String webhookId, String secret, JsonNode data) {
        JsonNode effectiveData = data == null || data.isNull() || data.isMissingNode()
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : data;
        Optional<String> dataProblem = RegistrationKeys.validate(effectiveData);
        if (dataProblem.isPresent()) {
            return Optional.of(new SubscribeFailure(SubscribeError.INVALID_DATA, dataProblem.get()));
        }
        String dataText = effectiveData.toString();
        int dataBytes = dataText.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (dataBytes > config.maxDataBytes()) {
            return Optional.of(new SubscribeFailure(SubscribeError.DATA_TOO_LARGE,
                    "data is " + dataBytes + " bytes as JSON; at most " + config.maxDataBytes() + " are allowed"));
        }
        JsonNode keys = effectiveData.path("$keys");
        if (keys.isArray() && keys.size() > config.maxKeys()) {
            return Optional.of(new SubscribeFailure(SubscribeError.TOO_MANY_KEYS,
                    "$keys has " + keys.size() + " entries; at most " + config.maxKeys() + " are allowed"));
        }
        Optional<SubscribeFailure> failure = QuarkusTransaction.requiringNew().call(() -> {
            Optional<Webhook> webhook = webhooks.findForHomey(webhookId);
            if (webhook.isEmpty()) {
                return Optional.of(new SubscribeFailure(SubscribeError.WEBHOOK_NOT_FOUND, SubscribeError.WEBHOOK_NOT_FOUND.message));
            }
            if (!webhooks.acceptsSecret(webhook.get(), secret)) {
                return Optional.of(new SubscribeFailure(SubscribeError.INVALID_SECRET, SubscribeError.INVALID_SECRET.message));
            }
            if (!upsert(webhookId, homeyId, dataText)) {
                return Optional.of(new SubscribeFailure(SubscribeError.TOO_MANY_REGISTRATIONS,
                        "This Homey has " + config.maxRegistrationsPerHomey() + " registrations, the most allowed"));
            }
            return Optional.<SubscribeFailure> empty();
        });
        if (failure.isEmpty()) {
            routing.registered(webhookId, homeyId, effectiveData);
            Log.debugf("Registered homeyId=%s for webhookId=%s", homeyId, webhookId);
        }
        return failure;
    }

    public void unsubscribe(String homeyId, String webhookId) {
        QuarkusTransaction.requiringNew().run(() -> HomeyRegistration
                .deleteById(new HomeyRegistration.Key(webhookId, homeyId)));
        routing.unregistered(webhookId, homeyId);
    }

    public record SubscribeFailure(SubscribeError error, String message) {
    }

    /** False when it would be a new registration beyond the Homey's limit. */
    private boolean upsert(String webhookId, String homeyId, String data) {
        Instant now = clock.instant();
        HomeyRegistration.Key key = new HomeyRegistration.Key(webhookId, homeyId);
        HomeyRegistration registration = HomeyRegistration.findById(key);
        if (registration == null) {
            // One socket per Homey and its frames one at a time: no two subscribes of a Homey race past this.
            if (HomeyRegistration.countByHomey(homeyId) >= config.maxRegistrationsPerHomey()) {
                return false;
            }
            registration = new HomeyRegistration();
            registration.key = key;
            registration.createdAt = now;
        }
        registration.data = data;
        registration.updatedAt = now;
        registration.persist();
        return true;
    }

    /** The key of a test Homey, decrypted; empty for a real Homey or one enrolled before keys were kept. */
    Optional<String> keptKeyOf(Homey homey) {
        return homey.keyCiphertext == null ? Optional.empty()
                : Optional.of(cipher.decrypt(keyBinding(homey.id), homey.keyCiphertext));
    }

    /** Associated data of a kept key: names the purpose, so a webhook secret's ciphertext cannot stand in for it. */
    private static String keyBinding(String homeyId) {
        return "homey-key:" + homeyId;
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
