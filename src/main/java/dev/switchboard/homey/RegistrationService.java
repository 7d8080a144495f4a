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
import dev.switchboard.webhook.Credentials;
import dev.switchboard.webhook.WebhookService;

import io.quarkus.logging.Log;

/**
 * The registrations of a webhook, for its owner: who is registered with which data, and removing one. Owner scoping
 * comes from {@link WebhookService#get}, so someone else's webhook is a 404 here too.
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

    public Page page(String ownerId, String webhookId, String after, int limit) {
        webhooks.get(ownerId, webhookId);
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

    /** Empty if the Homey is not registered for the webhook (which must be the owner's). */
    public Optional<RegistrationSummary> get(String ownerId, String webhookId, String homeyId) {
        webhooks.get(ownerId, webhookId);
        return find(webhookId, homeyId).map(row -> summary(ownerId, row, Homey.findById(homeyId)));
    }

    /** The data a Homey registered with, if it is registered for the webhook (the caller checked ownership). */
    public Optional<JsonNode> dataOf(String webhookId, String homeyId) {
        return find(webhookId, homeyId).map(row -> parse(row.data));
    }

    /**
     * Removes the registration, in the database and then in the routing index, as a Homey's {@code unsubscribe}
     * does. Messages already waiting for that Homey are still delivered: they were accepted for it. False if
     * there was no such registration.
     */
    public boolean remove(String ownerId, String webhookId, String homeyId) {
        webhooks.get(ownerId, webhookId);
        if (find(webhookId, homeyId).isEmpty()) {
            return false;
        }
        homeys.unsubscribe(homeyId, webhookId);
        Log.infof("Registration of homeyId=%s removed from webhookId=%s by its owner", homeyId,
                webhookId);
        return true;
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

    /** How a face says a registration was not found: names the Homey only if its ID is well formed. */
    public static String notFoundDetail(String homeyId) {
        String shown = Credentials.isWellFormedId(homeyId) ? homeyId : "with that ID";
        return "No Homey " + shown + " is registered for this webhook";
    }
}
