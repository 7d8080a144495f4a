package dev.switchboard.ingest.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A replay was recorded as delivery {@code deliveryId}, which names {@code replayOf}. Registered for reflection:
 * it is answered inside a {@code Response}, which the native build's scan of return types cannot see into.
 */
@RegisterForReflection
public record ReplayView(String status, String deliveryId, String replayOf) {
}
