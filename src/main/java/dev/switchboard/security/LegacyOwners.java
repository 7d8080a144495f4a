package dev.switchboard.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Owners from before developers were identified by issuer and subject (V7 migration): their rows wait under
 * {@code legacy:<name>} until the first sign-in whose principal name is {@code name} claims them.
 *
 * <p>The rule trusts the provider's name once: if a provider let someone else take a developer's old name before
 * that developer signed in again, the newcomer would get the rows. Operators who cannot rule that out bind owners
 * themselves (README, "Security") and turn claims off with {@code switchboard.security.claim-legacy-owners=false}.
 *
 * <p>The names not yet claimed are kept in memory (none, once everyone has signed in), so a request costs a set
 * lookup; the claim itself is one transaction, and the {@code legacy_owner} row decides between two nodes or two
 * requests claiming at once.
 */
@ApplicationScoped
public class LegacyOwners {

    private static final String PREFIX = "legacy:";

    private final Set<String> unclaimed = ConcurrentHashMap.newKeySet();
    private final DataSource dataSource;
    private final Event<OwnerClaimed> claims;
    private final SecurityConfig config;

    public LegacyOwners(DataSource dataSource, Event<OwnerClaimed> claims, SecurityConfig config) {
        this.dataSource = dataSource;
        this.claims = claims;
        this.config = config;
    }

    /** The owner_id under which a legacy owner's rows wait to be claimed. */
    public static String setAside(String legacyName) {
        return PREFIX + legacyName;
    }

    void load(@Observes StartupEvent start) throws SQLException {
        if (!config.claimLegacyOwners()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT name FROM legacy_owner WHERE claimed_by IS NULL");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                unclaimed.add(rs.getString(1));
            }
        }
        if (!unclaimed.isEmpty()) {
            Log.infof("%d owners from before issuer+subject identities wait to be claimed at their next sign-in",
                    unclaimed.size());
        }
    }

    /** Cheap: true only for a name that was an owner before V7 and has not been claimed (as far as this node knows). */
    boolean mayClaim(String legacyName) {
        return legacyName != null && unclaimed.contains(legacyName);
    }

    /**
     * Gives the rows set aside for {@code legacyName} to {@code ownerId}, unless someone claimed them first (another
     * node, a concurrent request). Its own transaction: the claim stands whatever the request does next.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void claim(String legacyName, String ownerId) {
        unclaimed.remove(legacyName);
        int won;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE legacy_owner SET claimed_by = ?, claimed_at = now() WHERE name = ? AND claimed_by IS NULL")) {
            s.setString(1, ownerId);
            s.setString(2, legacyName);
            won = s.executeUpdate();
        } catch (SQLException e) {
            unclaimed.add(legacyName);
            throw new IllegalStateException("Could not claim a legacy owner", e);
        }
        if (won == 1) {
            claims.fire(new OwnerClaimed(legacyName, ownerId));
            Log.infof("Legacy owner '%s' claimed by owner=%s", legacyName, ownerId);
        }
    }
}
