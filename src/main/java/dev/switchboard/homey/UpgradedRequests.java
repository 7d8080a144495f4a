package dev.switchboard.homey;

import java.lang.reflect.Method;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.vertx.core.http.HttpServerRequest;

/**
 * Tells Quarkus that a request upgraded to a WebSocket is over as an HTTP request.
 *
 * <p>On SIGTERM, Quarkus' graceful shutdown ({@code quarkus.shutdown.timeout}) waits until every request it counted
 * has ended its response. An upgrade's response never ends: Vert.x 4.5 writes the 101 handshake without calling the
 * response's end, close or exception handlers, which are what end a request for Quarkus' {@code QuarkusRequestWrapper}.
 * So every Homey socket a node had ever opened held its shutdown to the full timeout, although the sockets themselves
 * close with 1012 as shutdown begins ({@link HomeySessions}). The wrapper ends a request in {@code done()}, which is
 * not public: this calls it once the handshake is written. Should a Quarkus version lack it, a warning says so once
 * and shutdowns wait for their timeout again, as before.
 */
@ApplicationScoped
@RegisterForReflection(targets = QuarkusRequestWrapper.class, methods = true)
class UpgradedRequests {

    private final Method done = find();

    /** After {@code toWebSocket()} succeeded for {@code request}. */
    void handshakeWritten(HttpServerRequest request) {
        if (done == null) {
            return;
        }
        try {
            done.invoke(QuarkusRequestWrapper.get(request));
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.debugf("Could not end upgraded request %s for the graceful shutdown: %s", request.path(), e);
        }
    }

    private static Method find() {
        try {
            Method method = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnf("Quarkus' request wrapper has no done() (%s): a node that has had Homey sockets waits for "
                    + "quarkus.shutdown.timeout when it stops", e);
            return null;
        }
    }
}
