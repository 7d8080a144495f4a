package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command-line options of {@link SwitchboardBench}; {@code --help} lists them. */
record BenchOptions(List<String> scenarios, Duration duration, Duration warmup, Duration maxWarmup,
        Duration drainTimeout, int connections, int rate, int homeys,
        double offlineTrafficFraction, int bodyPadding, String jvmOpts, String appCpus, String loadCpus, List<String> profile,
        List<String> perf, Path out, boolean keepData, Path jar, Path javaHome, Path wrkScript, Path jfrSettings) {

    static final List<String> DEFAULT_SCENARIOS = List.of("baseline", "r100", "two-nodes", "r100k", "offline-half",
            "stall");
    /** r1m adds about two minutes of seeding and startup, so it runs only when asked for. */
    static final List<String> ALL_SCENARIOS = List.of("baseline", "r100", "two-nodes", "r100k", "r1m", "offline-half",
            "stall");

    /**
     * As deploy/Dockerfile.jvm runs the app on its JDK 25: 8-byte object headers (JEP 519). Older JDKs run with their
     * defaults (the option does not exist before 24).
     */
    static final String DEFAULT_JVM_OPTS_25 = "-XX:+UseCompactObjectHeaders";

    static final String USAGE = """
            Usage: src/bench/run.sh [options]
              --scenarios LIST     comma-separated, in order, or "all" (default: %s;
                                   all adds r1m, which takes about two more minutes to seed and start;
                                   r10m, 10,000,000 registrations, runs only when named;
                                   two-nodes needs redis-server, e.g. --scenarios r100,two-nodes)
              --duration D         measured load per scenario, e.g. 20s, 1m (default 20s)
              --warmup D           one warmup round of load before measuring (default 5s); rounds repeat
                                   until the server's JIT compiler threads use under 5%% of a core in two rounds in a row
              --max-warmup D       give up warming up after this long (default 180s; on one core C2 can
                                   take over a minute for the r100k load); the report says when it did
              --drain-timeout D    how long Homeys may take to receive what waited for them after the load
                                   (reconnect, resume); what has not arrived by then counts as lost (default 120s)
              --connections N      wrk connections, i.e. senders waiting for their 200 (default 64)
              --rate R             pace the measured load near R req/s (each connection waits
                                   connections/R s between requests) to read latency below saturation;
                                   default 0: as fast as the app answers
              --homeys N           simulated Homeys with a socket (default 1000)
              --body-padding N     characters of padding added to each ~110-byte JSON body, e.g. 1000000 for
                                   bodies near the 1 MiB limit (default 0)
              --offline-traffic F  share of requests for registrations whose Homey has no socket, in the
                                   r100k/r1m/r10m scenarios (default 0.05)
              --jvm-opts "..."     JVM options of the app and of the baseline server (default: on JDK 25
                                   or newer those deploy/Dockerfile.jvm runs the app with, %s;
                                   on older JDKs none)
              --app-cpus LIST      taskset CPU list for the app and its PostgreSQL (default 0); in two-nodes
                                   both nodes and Redis too
              --load-cpus LIST     taskset CPU list for wrk and the Homey fleet (default 1)
              --profile LIST       scenarios to record with JFR during the measured load (default: none)
              --perf LIST          scenarios whose app CPUs Linux perf samples during the measured load: CPU µs
                                   per request by thread and by what ran, kernel included (needs perf, e.g.
                                   apt-get install linux-perf, and root; default: none)
              --jar PATH           the app to measure (default target/quarkus-app/quarkus-run.jar), e.g. a copy of
                                   another build's target/quarkus-app, to compare builds back to back
              --java-home DIR      the JDK that runs the app and the baseline, and whose jcmd asks them
                                   (default: the one running the benchmark), e.g. the JDK 25 that
                                   deploy/Dockerfile.jvm ships: /usr/lib/jvm/temurin-25-jdk-amd64
              --out DIR            where logs, wrk output, JFR files and results.md go
                                   (default target/bench/<time>)
              --keep-data          keep each scenario's PostgreSQL data folder (<out>/<scenario>/postgres,
                                   1-3 GB each) for inspection; by default it is deleted after the scenario
            """.formatted(String.join(",", DEFAULT_SCENARIOS), DEFAULT_JVM_OPTS_25);

    static BenchOptions parse(String[] args) {
        List<String> scenarios = DEFAULT_SCENARIOS;
        Duration duration = Duration.ofSeconds(20);
        Duration warmup = Duration.ofSeconds(5);
        Duration maxWarmup = Duration.ofSeconds(180);
        Duration drainTimeout = Duration.ofSeconds(120);
        int connections = 64;
        int rate = 0;
        int homeys = 1000;
        double offlineTraffic = 0.05;
        int bodyPadding = 0;
        String jvmOpts = null;
        String appCpus = "0";
        String loadCpus = "1";
        List<String> profile = List.of();
        List<String> perf = List.of();
        Path out = Path.of("target", "bench",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        boolean keepData = false;
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            if (option.equals("--help") || option.equals("-h")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            if (option.equals("--keep-data")) {
                keepData = true;
                continue;
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("Missing value for " + option + "\n" + USAGE);
            }
            String value = rest.remove(0);
            switch (option) {
                case "--scenarios" -> scenarios = value.equals("all") ? ALL_SCENARIOS : list(value);
                case "--duration" -> duration = duration(value);
                case "--warmup" -> warmup = duration(value);
                case "--max-warmup" -> maxWarmup = duration(value);
                case "--drain-timeout" -> drainTimeout = duration(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--homeys" -> homeys = Integer.parseInt(value);
                case "--offline-traffic" -> offlineTraffic = Double.parseDouble(value);
                case "--body-padding" -> bodyPadding = Integer.parseInt(value);
                case "--jvm-opts" -> jvmOpts = value;
                case "--app-cpus" -> appCpus = value;
                case "--load-cpus" -> loadCpus = value;
                case "--profile" -> profile = list(value);
                case "--perf" -> perf = list(value);
                case "--out" -> out = Path.of(value);
                case "--jar" -> jar = Path.of(value);
                case "--java-home" -> javaHome = Path.of(value);
                default -> throw new IllegalArgumentException("Unknown option " + option + "\n" + USAGE);
            }
        }
        if (!Files.isExecutable(javaHome.resolve("bin/java")) || !Files.isExecutable(javaHome.resolve("bin/jcmd"))) {
            throw new IllegalArgumentException("--java-home " + javaHome + " has no bin/java and bin/jcmd");
        }
        if (jvmOpts == null) {
            jvmOpts = featureVersion(javaHome) >= 25 ? DEFAULT_JVM_OPTS_25 : "";
        }
        for (String name : scenarios) {
            Scenario.named(name, homeys, offlineTraffic); // fails early on a typo
        }
        return new BenchOptions(scenarios, duration, warmup, maxWarmup, drainTimeout, connections, rate, homeys,
                offlineTraffic, bodyPadding, jvmOpts, appCpus, loadCpus, profile, perf, out.toAbsolutePath(), keepData,
                jar.toAbsolutePath(), javaHome.toAbsolutePath(),
                Path.of("src/bench/wrk/ingest.lua").toAbsolutePath(),
                Path.of("src/bench/jfr/cpu.jfc").toAbsolutePath());
    }

    /** The fields of the JDK's {@code release} file, e.g. IMPLEMENTOR, JAVA_VERSION, JAVA_RUNTIME_VERSION. */
    static Map<String, String> javaRelease(Path javaHome) {
        Map<String, String> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
                }
            }
        } catch (IOException e) {
            // No release file: callers fall back to what they know without it.
        }
        return fields;
    }

    private static int featureVersion(Path javaHome) {
        String version = javaRelease(javaHome).getOrDefault("JAVA_VERSION", "0");
        Matcher feature = Pattern.compile("^(?:1\\.)?(\\d+)").matcher(version);
        return feature.find() ? Integer.parseInt(feature.group(1)) : 0;
    }

    List<String> jvmOptList() {
        return jvmOpts.isBlank() ? List.of() : Arrays.asList(jvmOpts.trim().split("\\s+"));
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code 20s}, {@code 2m}, {@code 500ms} or plain seconds. */
    static Duration duration(String value) {
        String v = value.trim().toLowerCase();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(v));
    }
}
