package dev.switchboard.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server on a free loopback port, pinned like the app (it is part of the server side of a cluster), with
 * no persistence: the cluster's bus, as in ClusterIT.
 */
final class RedisServer implements AutoCloseable {

    final int port;
    private final Process process;

    private RedisServer(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    static void requireInstalled() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(
                    "The two-nodes scenario needs redis-server: apt-get install -y redis-server", e);
        }
    }

    static RedisServer start(String cpus, Path log) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        Process process = new ProcessBuilder(List.of("taskset", "-c", cpus, "redis-server", "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        RedisServer redis = new RedisServer(port, process);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return redis;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited; see " + log);
                }
                Thread.sleep(50);
            }
        }
        redis.close();
        throw new IllegalStateException("redis-server did not listen on " + port + "; see " + log);
    }

    long pid() {
        return process.pid(); // taskset execs redis-server: same process
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
