package dev.switchboard.security;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is calling: the OIDC subject owns webhooks; the {@code admin} role may import legacy functions. */
@RequestScoped
public class CurrentDeveloper {

    public static final String ADMIN_ROLE = "admin";

    private final SecurityIdentity identity;

    public CurrentDeveloper(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String id() {
        return identity.getPrincipal().getName();
    }

    public String displayName() {
        Object name = identity.getAttribute("name");
        return name instanceof String s && !s.isBlank() ? s : id();
    }

    public boolean isAdmin() {
        return identity.hasRole(ADMIN_ROLE);
    }
}
