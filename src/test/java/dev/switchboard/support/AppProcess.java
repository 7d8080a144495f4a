package dev.switchboard.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** The packaged app run as a process, as users run it: a free loopback port, and waiting until it is ready. */
public final class AppProcess {

    private AppProcess() {
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Waits until {@code process} answers its readiness check on {@code managementPort} (where the app serves health);
     * {@code what} names it in the failure, which quotes its {@code log} when it exited.
     */
    public static Process awaitReady(Process process, int managementPort, Path log, String what, Duration limit)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/q/health/ready")).build();
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(what + " did not become ready; see " + log);
    }
}
