package dev.switchboard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

    private static final String MANAGEMENT_PORT = "switchboard.it.management-port";

    @Override
    public String getConfigProfile() {
        return "prod";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus/",
                "quarkus.oidc.client-id", "quarkus-web-app",
                "quarkus.oidc.token.audience", "https://server.example.com,https://id.server.example.com",
                "quarkus.oidc.credentials.secret", "secret",
                "quarkus.oidc.token-state-manager.encryption-secret", "integration-test-session-cookie-secret",
                "switchboard.secrets.encryption-key", "aW50ZWdyYXRpb24tdGVzdC1vbmx5LWtleS0zMmJ5dGU=",
                "switchboard.embedded-db.data-dir", "target/it-postgres",
                "switchboard.embedded-db.clean", "true",
                "quarkus.management.port", Integer.toString(managementPort()));
    }

    /**
     * The packaged app's management interface (health, metrics): a free port, chosen once per test JVM (a system
     * property, so every class loader sees the same), so that parallel builds do not meet on 9000.
     */
    public static synchronized int managementPort() {
        String chosen = System.getProperty(MANAGEMENT_PORT);
        if (chosen == null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                chosen = Integer.toString(socket.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty(MANAGEMENT_PORT, chosen);
        }
        return Integer.parseInt(chosen);
    }
}
