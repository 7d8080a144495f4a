package dev.switchboard.it;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The packaged application (jar, or the native binary with {@code -Dnative}) as an operator runs it: the {@code prod}
 * profile, configured only with what README's "Configuration" table says production needs. The identity provider is
 * the suite's WireMock OIDC server ({@code OidcProvider}, which publishes {@code keycloak.url}); the database is the
 * embedded PostgreSQL the app starts when no URL is set, in a folder of its own under target/.
 *
 * <p>Every {@code *IT} class shares this profile, so failsafe starts the application once for all of them.
 */
public class PackagedApp implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "prod";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/",
                "quarkus.oidc.client-id", "quarkus-web-app",
                "quarkus.oidc.credentials.secret", "secret",
                "quarkus.oidc.token-state-manager.encryption-secret", "integration-test-session-cookie-secret",
                "switchboard.secrets.encryption-key", "aW50ZWdyYXRpb24tdGVzdC1vbmx5LWtleS0zMmJ5dGU=",
                "switchboard.embedded-db.data-dir", "target/it-postgres",
                "switchboard.embedded-db.clean", "true");
    }
}
