package dev.switchboard.security;

import jakarta.enterprise.context.RequestScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling. A developer is their token's issuer and subject ({@code "<iss> <sub>"}), which a provider never
 * reassigns, not the principal name ({@code upn}, {@code preferred_username}), which some let people change or reuse.
 * The {@code admin} role may import legacy functions.
 */
@RequestScoped
public class CurrentDeveloper {

    public static final String ADMIN_ROLE = "admin";

    private final SecurityIdentity identity;
    private final LegacyOwners legacyOwners;
    private String id;

    public CurrentDeveloper(SecurityIdentity identity, LegacyOwners legacyOwners) {
        this.identity = identity;
        this.legacyOwners = legacyOwners;
    }

    /** The owner ID of everything this developer owns; the first call may claim a legacy owner's rows. */
    public String id() {
        if (id == null) {
            String owner = ownerId(identity);
            String name = identity.getPrincipal().getName();
            if (legacyOwners.mayClaim(name)) {
                legacyOwners.claim(name, owner);
            }
            id = owner;
        }
        return id;
    }

    /**
     * {@code "<iss> <sub>"}: an issuer is an https URL (OpenID Connect Discovery, section 3), which has no space, so
     * the first space separates the two and no two pairs give the same text.
     */
    static String ownerId(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            String issuer = token.getIssuer();
            String subject = token.getSubject();
            if (issuer != null && !issuer.isBlank() && subject != null && !subject.isBlank()) {
                return issuer + " " + subject;
            }
        }
        // Every login here is an OIDC token; one without an issuer and a subject identifies nobody.
        throw new UnauthorizedException("No issuer and subject");
    }

    public String displayName() {
        Object name = identity.getAttribute("name");
        return name instanceof String s && !s.isBlank() ? s : identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return identity.hasRole(ADMIN_ROLE);
    }
}
