package dev.switchboard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test, pinned with {@code taskset} (children such as the embedded PostgreSQL inherit the CPU list):
 * either the packaged app as users run it ({@code java -jar target/quarkus-app/quarkus-run.jar}) or the bare
 * baseline endpoint, with the same JVM options.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern POSTGRES_PORT = Pattern.compile(
            "Embedded PostgreSQL started in \\d+ ms on port (\\d+)");
    private static final Pattern INDEX_LOADED = Pattern.compile(
            "Registration index loaded: (\\d+) registrations in (\\d+) ms");

    final int port;
    /** The management interface (metrics, health); the same as {@link #port} for the bare endpoint. */
    final int managementPort;
    final Path log;
    private final Path javaHome;
    private final Process process;

    private ServerProcess(int port, int managementPort, Path log, Path javaHome, Process process) {
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
        this.javaHome = javaHome;
        this.process = process;
    }

    long pid() {
        return process.pid(); // taskset execs the JVM: same process
    }

    /** The packaged app with its embedded PostgreSQL in {@code dataDir} (kept across restarts); waits until ready. */
    static ServerProcess app(BenchOptions options, Path dataDir, Map<String, String> extraEnv,
            List<String> extraJvmOpts, Path log) throws IOException, InterruptedException {
        if (!Files.exists(options.jar())) {
            throw new IllegalStateException("No " + options.jar() + ": build it first (src/bench/run.sh does)");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(
                List.of("taskset", "-c", options.appCpus(), javaBin(options.javaHome())));
        command.addAll(options.jvmOptList());
        command.addAll(extraJvmOpts);
        command.addAll(List.of("-jar", options.jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        int managementPort = freePort();
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKUS_OIDC_TENANT_ENABLED", "false");
        env.put("SWITCHBOARD_SECRETS_ENCRYPTION_KEY", Seeder.ENCRYPTION_KEY);
        // Measure the service, not the per-webhook and per-address limits that protect it.
        env.put("SWITCHBOARD_INGEST_RATE_PER_SECOND", "100000000");
        env.put("SWITCHBOARD_INGEST_BURST", "100000000");
        env.put("SWITCHBOARD_HOMEYS_ENROLLMENTS_PER_MINUTE", "100000000");
        env.put("SWITCHBOARD_QUOTA_WEBHOOK_BYTES_PER_DAY", Long.toString(Long.MAX_VALUE / 4));
        env.put("SWITCHBOARD_QUOTA_OWNER_BYTES_PER_DAY", Long.toString(Long.MAX_VALUE / 4));
        env.put("SWITCHBOARD_EMBEDDED_DB_DATA_DIR", dataDir.toString());
        env.put("SWITCHBOARD_EMBEDDED_DB_CLEAN", "false"); // true would delete the data when the app stops
        env.putAll(extraEnv);
        ServerProcess server = new ServerProcess(port, managementPort, log, options.javaHome(), builder.start());
        server.awaitReady(managementPort, "/q/health/ready", Duration.ofMinutes(10));
        return server;
    }

    /** The baseline endpoint, with the same JVM options and CPUs as the app. */
    static ServerProcess bare(BenchOptions options, Path log) throws IOException, InterruptedException {
        int port = freePort();
        List<String> command = new ArrayList<>(
                List.of("taskset", "-c", options.appCpus(), javaBin(options.javaHome())));
        command.addAll(options.jvmOptList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareEndpoint.class.getName(),
                Integer.toString(port)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ServerProcess server = new ServerProcess(port, port, log, options.javaHome(), builder.start());
        server.awaitReady(port, "/", Duration.ofMinutes(1));
        return server;
    }

    /** JDBC to the app's embedded PostgreSQL (its port is in the app's log). */
    Connection database() throws IOException, SQLException {
        Matcher m = lastMatch(POSTGRES_PORT);
        if (m == null) {
            throw new IllegalStateException("No embedded PostgreSQL port in " + log);
        }
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + m.group(1) + "/postgres", "postgres",
                "postgres");
    }

    /** How long the app took to load its registration index at startup, e.g. "1000000 in 5210 ms". */
    String indexLoad() throws IOException {
        Matcher m = lastMatch(INDEX_LOADED);
        return m == null ? "?" : String.format("%,d in %,d ms", Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    /** Asks the JVM for a diagnostic command (jcmd), e.g. {@code GC.heap_info}; answers its output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of(javaHome.resolve("bin/jcmd").toString(), Long.toString(pid())));
        full.addAll(List.of(command));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** SIGTERM (the app stops its PostgreSQL in a shutdown hook), then SIGKILL if it hangs. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitReady(int readyPort, String path, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + readyPort + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Server exited (" + process.exitValue() + "); see " + log);
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("Server not ready within " + timeout + "; see " + log);
    }

    private Matcher lastMatch(Pattern pattern) throws IOException {
        Matcher last = null;
        for (String line : Files.readString(log, StandardCharsets.ISO_8859_1).split("\n")) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                last = m;
            }
        }
        return last;
    }

    private static String javaBin(Path javaHome) {
        return javaHome.resolve("bin/java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
