package dev.switchboard.portal;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/** Dev mode's last word before it serves: where the portal is and who can sign in to the built-in OIDC dev server. */
@IfBuildProfile("dev")
public class DevSignInHint {

    void started(@Observes StartupEvent event, @ConfigProperty(name = "quarkus.http.port") int port) {
        Log.infof("Portal: http://localhost:%d (Sign in: user alice is an admin and may import legacy functions;"
                + " user bob is a developer)", port);
    }
}
