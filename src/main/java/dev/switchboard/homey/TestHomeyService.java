package dev.switchboard.homey;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.switchboard.result.Refusal;
import dev.switchboard.result.Refusal.InvalidField;
import dev.switchboard.result.Result;
import dev.switchboard.routing.RoutingChanges;
import dev.switchboard.security.LegacyOwners;
import dev.switchboard.security.OwnerClaimed;
import dev.switchboard.webhook.Credentials;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The portal simulator's Homeys. Each belongs to the developer who enrolled it; its key is kept encrypted so the
 * developer can connect it again from any browser, and it is handed out only to that developer.
 */
@ApplicationScoped
public class TestHomeyService {

    /** Enough for a few browsers and scenarios; a test Homey is a real enrollment, not a free-for-all. */
    public static final int MAX_PER_DEVELOPER = 20;
    public static final int MAX_LABEL_LENGTH = 120;
    /** The first key of the per-developer advisory lock: enrolling test Homeys. */
    private static final int TEST_HOMEY_LOCK = 0x54484d59;

    private final HomeyService homeys;
    private final HomeySessions sessions;
    private final RoutingChanges routing;

    public TestHomeyService(HomeyService homeys, HomeySessions sessions, RoutingChanges routing) {
        this.homeys = homeys;
        this.sessions = sessions;
        this.routing = routing;
    }

    /** Oldest first. */
    public List<TestHomey> list(String ownerId) {
        return Homey.findTestHomeysOf(ownerId).stream().map(this::view).toList();
    }

    public Result<TestHomey> get(String ownerId, String homeyId) {
        return find(ownerId, homeyId).map(homey -> Result.of(view(homey))).orElseGet(TestHomeyService::notFound);
    }

    /** Enrolls a test Homey; a blank label becomes "Test Homey n". */
    public Result<TestHomey> enroll(String ownerId, String label) {
        String trimmed = label == null ? "" : label.strip();
        if (trimmed.length() > MAX_LABEL_LENGTH) {
            return Result.refused(Refusal.invalid(InvalidField.of("label",
                    "must be at most " + MAX_LABEL_LENGTH + " characters")));
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            // One enrollment per developer at a time (a lock held until commit), so concurrent creates cannot all
            // count the same number below the cap.
            Homey.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1, hashtext(?2))")
                    .setParameter(1, TEST_HOMEY_LOCK).setParameter(2, ownerId).getSingleResult();
            long existing = Homey.countTestHomeysOf(ownerId);
            if (existing >= MAX_PER_DEVELOPER) {
                return Result.refused(Refusal.invalid(InvalidField.of("label", "You already have "
                        + MAX_PER_DEVELOPER + " test Homeys; delete one before enrolling another")));
            }
            String name = trimmed.isEmpty() ? "Test Homey " + (existing + 1) : trimmed;
            HomeyService.Enrollment enrollment = homeys.enroll(ownerId, name);
            return Result.of(view(Homey.findById(enrollment.homeyId())));
        });
    }

    /** A sign-in claimed a legacy owner's test Homeys (V7): they are its own from now on. */
    void onOwnerClaimed(@Observes OwnerClaimed claim) {
        long claimed = Homey.update("ownerId = ?1 where ownerId = ?2", claim.ownerId(),
                LegacyOwners.setAside(claim.legacyName()));
        Log.infof("%d test Homeys of legacy owner '%s' now belong to owner=%s", claimed, claim.legacyName(),
                claim.ownerId());
    }

    /** The test Homey's ID and key, for its owner's simulator to say hello with. */
    public Result<HomeyService.Enrollment> credentials(String ownerId, String homeyId) {
        Optional<Homey> found = find(ownerId, homeyId);
        if (found.isEmpty()) {
            return notFound();
        }
        return homeys.keptKeyOf(found.get())
                .map(key -> Result.of(new HomeyService.Enrollment(homeyId, key)))
                .orElseGet(() -> Result.refused(Refusal.conflict("key_not_kept",
                        "This test Homey's key was not kept; enroll a new test Homey")));
    }

    /**
     * Deletes the test Homey with its registrations (the database cascades), then takes the registrations out of the
     * routing index and closes its socket.
     */
    public Result<Void> delete(String ownerId, String homeyId) {
        Optional<List<String>> deleted = QuarkusTransaction.requiringNew().call(() -> find(ownerId, homeyId)
                .map(homey -> {
                    List<String> registeredFor = HomeyRegistration.<HomeyRegistration> list("key.homeyId = ?1",
                            homeyId).stream().map(r -> r.key.webhookId).toList();
                    homey.delete();
                    return registeredFor;
                }));
        if (deleted.isEmpty()) {
            return notFound();
        }
        List<String> webhookIds = deleted.get();
        webhookIds.forEach(webhookId -> routing.unregistered(webhookId, homeyId));
        sessions.disconnect(homeyId, "This test Homey was deleted");
        Log.infof("Test Homey homeyId=%s deleted by its owner (%d registrations)", homeyId, webhookIds.size());
        return Result.done();
    }

    private static Optional<Homey> find(String ownerId, String homeyId) {
        if (!Credentials.isWellFormedId(homeyId)) {
            return Optional.empty();
        }
        return Homey.findTestHomeyOf(ownerId, homeyId);
    }

    private TestHomey view(Homey homey) {
        return new TestHomey(homey.id, homey.label, homey.createdAt, homey.lastSeenAt, sessions.isOnline(homey.id));
    }

    private static <T> Result<T> notFound() {
        return Result.refused(Refusal.notFound("homey_not_found", "You have no test Homey with this ID"));
    }
}
