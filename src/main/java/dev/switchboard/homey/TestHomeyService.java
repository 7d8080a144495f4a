package dev.switchboard.homey;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.switchboard.problem.Problem;
import dev.switchboard.problem.Problem.FieldError;
import dev.switchboard.problem.ProblemException;
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

    public TestHomey get(String ownerId, String homeyId) {
        return view(find(ownerId, homeyId));
    }

    /** Enrolls a test Homey; a blank label becomes "Test Homey n". */
    public TestHomey enroll(String ownerId, String label) {
        String trimmed = label == null ? "" : label.strip();
        if (trimmed.length() > MAX_LABEL_LENGTH) {
            throw ProblemException.invalid(FieldError.of("label", "must be at most " + MAX_LABEL_LENGTH + " characters"));
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            // One enrollment per developer at a time (a lock held until commit), so concurrent creates cannot all
            // count the same number below the cap.
            Homey.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1, hashtext(?2))")
                    .setParameter(1, TEST_HOMEY_LOCK).setParameter(2, ownerId).getSingleResult();
            long existing = Homey.countTestHomeysOf(ownerId);
            if (existing >= MAX_PER_DEVELOPER) {
                throw ProblemException.invalid(FieldError.of("label", "You already have " + MAX_PER_DEVELOPER
                        + " test Homeys; delete one before enrolling another"));
            }
            String name = trimmed.isEmpty() ? "Test Homey " + (existing + 1) : trimmed;
            HomeyService.Enrollment enrollment = homeys.enroll(ownerId, name);
            return view(Homey.findById(enrollment.homeyId()));
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
    public HomeyService.Enrollment credentials(String ownerId, String homeyId) {
        Homey homey = find(ownerId, homeyId);
        String key = homeys.keptKeyOf(homey).orElseThrow(() -> new ProblemException(Problem.of(409, "key_not_kept",
                "Conflict", "This test Homey's key was not kept; enroll a new test Homey")));
        return new HomeyService.Enrollment(homey.id, key);
    }

    /**
     * Deletes the test Homey with its registrations (the database cascades), then takes the registrations out of the
     * routing index and closes its socket.
     */
    public void delete(String ownerId, String homeyId) {
        List<String> webhookIds = QuarkusTransaction.requiringNew().call(() -> {
            Homey homey = find(ownerId, homeyId);
            List<String> registeredFor = HomeyRegistration.<HomeyRegistration> list("key.homeyId = ?1", homeyId)
                    .stream().map(r -> r.key.webhookId).toList();
            homey.delete();
            return registeredFor;
        });
        webhookIds.forEach(webhookId -> routing.unregistered(webhookId, homeyId));
        sessions.disconnect(homeyId, "This test Homey was deleted");
        Log.infof("Test Homey homeyId=%s deleted by its owner (%d registrations)", homeyId, webhookIds.size());
    }

    private static Homey find(String ownerId, String homeyId) {
        if (!Credentials.isWellFormedId(homeyId)) {
            throw notFound();
        }
        return Homey.findTestHomeyOf(ownerId, homeyId).orElseThrow(TestHomeyService::notFound);
    }

    private TestHomey view(Homey homey) {
        return new TestHomey(homey.id, homey.label, homey.createdAt, homey.lastSeenAt, sessions.isOnline(homey.id));
    }

    private static ProblemException notFound() {
        return ProblemException.notFound("homey_not_found", "You have no test Homey with this ID");
    }
}
