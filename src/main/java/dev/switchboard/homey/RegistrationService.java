package dev.switchboard.homey;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.delivery.pending.PendingMessages;
import dev.switchboard.result.Refusal;
import dev.switchboard.result.Result;
import dev.switchboard.webhook.Credentials;
import dev.switchboard.webhook.WebhookService;
import io.quarkus.logging.Log;

/**
 * The registrations of a webhook, for its owner: who is registered with which data, and removing one. Owner scoping
 * comes from {@link WebhookService#get}, so someone else's webhook is refused as not found here too.
 */
@ApplicationScoped
public class RegistrationService {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;

    private final WebhookService webhooks;
    private final HomeyService homeys;
    private final HomeySessions sessions;
    private final PendingMessages pending;
    private final ObjectMapper mapper;

    public RegistrationService(WebhookService webhooks, HomeyService homeys, HomeySessions sessions,
            PendingMessages pending, ObjectMapper mapper) {
        this.webhooks = webhooks;
        this.homeys = homeys;
        this.sessions = sessions;
        this.pending = pending;
        this.mapper = mapper;
    }

    /**
     * One page of registrations, ordered by Homey ID: keyset paging on the registration's primary key, so a webhook
     * with a million registrations pages as fast as one with ten.
     *
     * @param after the last Homey ID of the previous page, or null for the first page
     * @param next  set when there may be more: the {@code after} of the next page
     */
    public record Page(List<RegistrationSummary> items, Optional<String> next) {
    }

    public Result<Page> page(String ownerId, String webhookId, String after, int limit) {
        return webhooks.get(ownerId, webhookId).then(webhook -> Result.of(pageOf(ownerId, webhookId, after, limit)));
    }

    private Page pageOf(String ownerId, String webhookId, String after, int limit) {
        List<HomeyRegistration> rows = HomeyRegistration
                .find("key.webhookId = ?1 and key.homeyId > ?2 order by key.homeyId", webhookId,
                        after == null ? "" : after)
                .range(0, limit - 1).list(); // both ends inclusive
        Map<String, Homey> homeysById = rows.isEmpty() ? Map.of()
                : Homey.<Homey> list("id in ?1", rows.stream().map(r -> r.key.homeyId).toList()).stream()
                        .collect(Collectors.toMap(h -> h.id, Function.identity()));
        List<RegistrationSummary> items = rows.stream()
                .map(row -> summary(ownerId, row, homeysById.get(row.key.homeyId)))
                .toList();
        Optional<String> next = rows.size() == limit ? Optional.of(rows.get(rows.size() - 1).key.homeyId)
                : Optional.empty();
        return new Page(items, next);
    }

    /** Refused if the webhook is not the owner's, or the Homey is not registered for it. */
    public Result<RegistrationSummary> get(String ownerId, String webhookId, String homeyId) {
        return webhooks.get(ownerId, webhookId).then(webhook -> find(webhookId, homeyId)
                .map(row -> Result.of(summary(ownerId, row, Homey.findById(homeyId))))
                .orElseGet(() -> Result.refused(notFound(homeyId))));
    }

    /** The data a Homey registered with, if it is registered for the webhook (the caller checked ownership). */
    public Optional<JsonNode> dataOf(String webhookId, String homeyId) {
        return find(webhookId, homeyId).map(row -> parse(row.data));
    }

    /**
     * Removes the registration, in the database and then in the routing index, as a Homey's {@code unsubscribe}
     * does. Messages already waiting for that Homey are still delivered: they were accepted for it. Refused if the
     * webhook is not the owner's, or there was no such registration.
     */
    public Result<Void> remove(String ownerId, String webhookId, String homeyId) {
        return webhooks.get(ownerId, webhookId).then(webhook -> {
            if (find(webhookId, homeyId).isEmpty()) {
                return Result.refused(notFound(homeyId));
            }
            homeys.unsubscribe(homeyId, webhookId);
            Log.infof("Registration of homeyId=%s removed from webhookId=%s by its owner", homeyId, webhookId);
            return Result.done();
        });
    }

    private static Optional<HomeyRegistration> find(String webhookId, String homeyId) {
        if (!Credentials.isWellFormedId(homeyId)) {
            return Optional.empty();
        }
        return HomeyRegistration.findByIdOptional(new HomeyRegistration.Key(webhookId, homeyId));
    }

    private RegistrationSummary summary(String ownerId, HomeyRegistration row, Homey homey) {
        String homeyId = row.key.homeyId;
        return new RegistrationSummary(homeyId, parse(row.data), sessions.isOnline(homeyId),
                homey == null ? null : homey.lastSeenAt, pending.countFor(homeyId, row.key.webhookId), row.createdAt, row.updatedAt,
                homey != null && ownerId.equals(homey.ownerId));
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored registration data is not JSON", e);
        }
    }

    /** Names the Homey only if its ID is well formed. */
    private static Refusal notFound(String homeyId) {
        String shown = Credentials.isWellFormedId(homeyId) ? homeyId : "with that ID";
        return Refusal.notFound("registration_not_found", "No Homey " + shown + " is registered for this webhook");
    }
}
