package dev.switchboard.routing;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;

/** Fills the in-memory directory and index once Flyway has migrated the database. */
@Singleton
class RoutingStartup {

    void load(@Observes StartupEvent start, WebhookDirectory directory, RegistrationIndex registrations) {
        registrations.reload();
        directory.reload();
    }
}
