package dev.switchboard.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.result.Refusal;
import dev.switchboard.result.Refusal.InvalidField;
import dev.switchboard.result.Result;
import dev.switchboard.security.LegacyOwners;
import dev.switchboard.security.OwnerClaimed;
import dev.switchboard.webhook.keypath.KeyPath;
import dev.switchboard.webhook.keypath.KeyPathSyntaxException;
import io.quarkus.logging.Log;

/**
 * The use cases of a webhook, always scoped to its owner: a webhook someone else owns behaves exactly like one
 * that does not exist. A use case that cannot be done answers a {@link Refusal}; the API and the portal each say it
 * their way.
 */
@ApplicationScoped
public class WebhookService {

    private final SecretCipher cipher;
    private final SwitchboardConfig config;
    private final Event<WebhookChanged> changes;
    private final Clock clock;
    private final WebhookLimits limits;

    public WebhookService(SecretCipher cipher, SwitchboardConfig config, Event<WebhookChanged> changes, Clock clock,
            WebhookLimits limits) {
        this.cipher = cipher;
        this.config = config;
        this.changes = changes;
        this.clock = clock;
        this.limits = limits;
    }

    public List<Webhook> list(String ownerId) {
        return Webhook.findByOwner(ownerId);
    }

    public Optional<Webhook> find(String ownerId, String webhookId) {
        if (!Credentials.isWellFormedId(webhookId)) {
            return Optional.empty();
        }
        return Webhook.findByOwnerAndId(ownerId, webhookId);
    }

    /** The owner's webhook, or refused as not found: for faces that answer "no such webhook" the same way. */
    public Result<Webhook> get(String ownerId, String webhookId) {
        return find(ownerId, webhookId).map(Result::of).orElseGet(() -> Result.refused(notFound(webhookId)));
    }

    @Transactional
    public Result<Webhook> create(String ownerId, String name) {
        Optional<Refusal> invalidName = checkName(name);
        if (invalidName.isPresent()) {
            return Result.refused(invalidName.get());
        }
        if (Webhook.count("ownerId", ownerId) >= limits.maxPerDeveloper()) {
            return Result.refused(Refusal.limitReached("too_many_webhooks",
                    "You have " + limits.maxPerDeveloper() + " webhooks, the most allowed; delete one first"));
        }
        Webhook webhook = new Webhook();
        webhook.id = Credentials.newId();
        webhook.ownerId = ownerId;
        webhook.name = name.strip();
        webhook.secretCiphertext = cipher.encrypt(webhook.id, Credentials.newSecret());
        webhook.createdAt = now();
        webhook.updatedAt = webhook.createdAt;
        webhook.persist();
        Log.infof("Webhook created webhookId=%s owner=%s", webhook.id, ownerId);
        changes.fire(new WebhookChanged(webhook.id));
        return Result.of(webhook);
    }

    /** Applies the fields present in {@code update}; a blank key path clears it. */
    @Transactional
    public Result<Webhook> update(String ownerId, String webhookId, WebhookUpdate update) {
        return get(ownerId, webhookId).then(webhook -> {
            Optional<Refusal> invalid = update.name().flatMap(WebhookService::checkName)
                    .or(() -> update.keyPath().filter(path -> !path.isBlank()).flatMap(WebhookService::checkKeyPath)
                            .map(Refusal::invalid));
            if (invalid.isPresent()) {
                return Result.refused(invalid.get());
            }
            update.name().ifPresent(name -> webhook.name = name.strip());
            update.keyPath().ifPresent(path -> webhook.keyPath = path.isBlank() ? null : path);
            webhook.updatedAt = now();
            changes.fire(new WebhookChanged(webhook.id));
            return Result.of(webhook);
        });
    }

    @Transactional
    public Result<Webhook> rotateSecret(String ownerId, String webhookId) {
        return get(ownerId, webhookId).then(webhook -> {
            Instant now = now();
            webhook.previousSecretCiphertext = webhook.secretCiphertext;
            webhook.previousSecretExpiresAt = now.plus(config.secrets().rotationGracePeriod());
            webhook.secretCiphertext = cipher.encrypt(webhook.id, Credentials.newSecret());
            webhook.updatedAt = now;
            Log.infof("Webhook secret rotated webhookId=%s, previous secret valid until %s", webhook.id,
                    webhook.previousSecretExpiresAt);
            changes.fire(new WebhookChanged(webhook.id));
            return Result.of(webhook);
        });
    }

    @Transactional
    public Result<Void> delete(String ownerId, String webhookId) {
        return get(ownerId, webhookId).then(webhook -> {
            webhook.delete();
            Log.infof("Webhook deleted webhookId=%s", webhookId);
            changes.fire(new WebhookChanged(webhookId));
            return Result.done();
        });
    }

    /** Administrators only (checked by the caller): legacy functions cannot be written by developers. */
    @Transactional
    public Result<Webhook> importLegacyFunction(String webhookId, String functionBody) {
        Optional<Webhook> found = findForHomey(webhookId);
        if (found.isEmpty()) {
            return Result.refused(notFound(webhookId));
        }
        Webhook webhook = found.get();
        webhook.legacyFunction = functionBody;
        webhook.legacyImportedAt = now();
        webhook.updatedAt = webhook.legacyImportedAt;
        Log.infof("Legacy function imported webhookId=%s (%d chars)", webhookId, functionBody.length());
        changes.fire(new WebhookChanged(webhookId));
        return Result.of(webhook);
    }

    /** A sign-in claimed a legacy owner's webhooks (V7): they are its own from now on. */
    void onOwnerClaimed(@Observes OwnerClaimed claim) {
        List<Webhook> claimed = Webhook.findByOwner(LegacyOwners.setAside(claim.legacyName()));
        for (Webhook webhook : claimed) {
            webhook.ownerId = claim.ownerId();
            changes.fire(new WebhookChanged(webhook.id));
        }
        Log.infof("%d webhooks of legacy owner '%s' now belong to owner=%s", claimed.size(), claim.legacyName(),
                claim.ownerId());
    }

    /** Any owner's webhook: for Homeys, which prove themselves with the webhook's secret instead. */
    public Optional<Webhook> findForHomey(String webhookId) {
        return Credentials.isWellFormedId(webhookId) ? Webhook.findByIdOptional(webhookId) : Optional.empty();
    }

    /** The current secret, or the previous one during its grace period, compared in constant time. */
    public boolean acceptsSecret(Webhook webhook, String given) {
        boolean current = Credentials.secretsMatch(secretOf(webhook), given);
        boolean previous = previousSecretOf(webhook).map(old -> Credentials.secretsMatch(old, given)).orElse(false);
        return current | previous;
    }

    public String secretOf(Webhook webhook) {
        return cipher.decrypt(webhook.id, webhook.secretCiphertext);
    }

    public Optional<String> previousSecretOf(Webhook webhook) {
        return webhook.hasPreviousSecretAt(now())
                ? Optional.of(cipher.decrypt(webhook.id, webhook.previousSecretCiphertext))
                : Optional.empty();
    }

    /** Which rule decides after {@code ?homey=} ("key_path", "legacy_function", "query_only"): DESIGN.md's order. */
    public static String routingOf(Webhook webhook) {
        if (webhook.keyPath != null) {
            return "key_path";
        }
        return webhook.legacyFunction != null ? "legacy_function" : "query_only";
    }

    /** Checks a key path the way saving would, without saving; empty when it is valid. */
    public static Optional<InvalidField> checkKeyPath(String source) {
        try {
            KeyPath.parse(source);
            return Optional.empty();
        } catch (KeyPathSyntaxException e) {
            return Optional.of(new InvalidField("keyPath", e.getMessage(), e.position()));
        }
    }

    private static Optional<Refusal> checkName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            return Optional.of(Refusal.invalid(InvalidField.of("name", "must not be blank")));
        }
        if (trimmed.length() > Webhook.MAX_NAME_LENGTH) {
            return Optional.of(Refusal.invalid(InvalidField.of("name",
                    "must be at most " + Webhook.MAX_NAME_LENGTH + " characters")));
        }
        return Optional.empty();
    }

    private Instant now() {
        return clock.instant();
    }

    private static Refusal notFound(String webhookId) {
        return Refusal.notFound("webhook_not_found", "No webhook with ID " + sanitize(webhookId));
    }

    private static String sanitize(String id) {
        return Credentials.isWellFormedId(id) ? id : "'" + id.replaceAll("[^0-9A-Za-z_-]", "?") + "'";
    }
}
