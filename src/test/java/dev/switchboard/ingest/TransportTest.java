package dev.switchboard.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/** Senders and Homeys are served on Netty's native epoll transport where the packaged native library fits. */
@QuarkusTest
class TransportTest {

    @Inject
    Vertx vertx;

    @Test
    void linuxRunsOnNativeEpoll() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64|aarch64"),
                "the bundled epoll libraries are for Linux on x86-64 and ARM");
        assertTrue(vertx.isNativeTransportEnabled(), "NIO instead of epoll: " + vertx.unavailableNativeTransportCause());
    }
}
