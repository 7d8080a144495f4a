package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Switchboard load benchmark (README, "Performance"): for each scenario it starts the packaged app as users run
 * it (embedded PostgreSQL, delivery log, durable group commit), pinned to its own CPUs, seeds registrations,
 * connects a fleet of simulated Homeys over real WebSockets, drives {@code POST /webhook/{id}} with wrk from the
 * other CPUs, and prints one table. A bare Vert.x endpoint measured the same way gives the baseline, so results read
 * as ratios that survive a change of machine. Start it with {@code src/bench/run.sh}, which builds the app first.
 */
public final class SwitchboardBench {

    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");

    /** Everything one scenario measured. Latencies in microseconds, memory in bytes; -1 where not measured. */
    record Result(Scenario scenario, Wrk.Result load, double deliveredPerSecond, double acksPerSecond, long e2eP50,
            long e2eP99, long e2eP999, long e2eCount, LossCheck.Report loss, ProcessSampler.CpuWindow cpu,
            long javaPeakRss, long childPeakPss, long heapBeforeLoad, List<String> notes) {

        int registrations() {
            return scenario.registrations();
        }
    }

    private final BenchOptions options;
    private final Wrk wrk;

    private SwitchboardBench(BenchOptions options) {
        this.options = options;
        this.wrk = new Wrk(options);
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        pinSelf(options.loadCpus());
        Wrk.requireInstalled();
        if (options.scenarios().contains("two-nodes")) {
            RedisServer.requireInstalled();
        }
        Files.createDirectories(options.out());
        new SwitchboardBench(options).run();
        System.exit(0); // Vert.x and JDBC leave non-daemon threads behind
    }

    private void run() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append(header()).append('\n');
        System.out.println(report);
        List<Result> results = new ArrayList<>();
        for (String name : options.scenarios()) {
            Scenario scenario = Scenario.named(name, options.homeys(), options.offlineTrafficFraction());
            System.out.printf("%n== %s: %s%n", scenario.name(), scenario.description());
            String loadBefore = loadAverage();
            Result result = scenario.isBaseline() ? baseline(scenario) : app(scenario);
            result.notes().add("load average (1/5/15 min) before: " + loadBefore + ", after: " + loadAverage());
            results.add(result);
            System.out.println(ResultTable.row(result, baselineOf(results)));
        }
        report.append(ResultTable.render(results, baselineOf(results)));
        indexHeapPerRegistration(results).ifPresent(line -> report.append('\n').append(line).append('\n'));
        Files.writeString(options.out().resolve("results.md"), report);
        System.out.println();
        System.out.println(ResultTable.render(results, baselineOf(results)));
        indexHeapPerRegistration(results).ifPresent(System.out::println);
        System.out.println("Written to " + options.out().resolve("results.md"));
    }

    /**
     * Heap the registration index takes per registration: the difference in heap after a full GC (fleet connected,
     * before any load) between the scenarios with the most and the fewest registrations, over the difference in
     * registrations.
     */
    private static Optional<String> indexHeapPerRegistration(List<Result> results) {
        List<Result> measured = results.stream().filter(r -> r.heapBeforeLoad() > 0)
                .sorted(Comparator.comparingInt(Result::registrations)).toList();
        if (measured.size() < 2) {
            return Optional.empty();
        }
        Result fewest = measured.get(0);
        Result most = measured.get(measured.size() - 1);
        int added = most.registrations() - fewest.registrations();
        if (added <= 0) {
            return Optional.empty();
        }
        return Optional.of(String.format("Registration index heap: %,d bytes per registration (%s: %s with %,d"
                + " registrations, %s: %s with %,d; heap after a full GC before the load)",
                (most.heapBeforeLoad() - fewest.heapBeforeLoad()) / added, most.scenario().name(),
                mb(most.heapBeforeLoad()), most.registrations(), fewest.scenario().name(),
                mb(fewest.heapBeforeLoad()), fewest.registrations()));
    }

    private static Result baselineOf(List<Result> results) {
        return results.stream().filter(r -> r.scenario().isBaseline()).findFirst().orElse(null);
    }

    /** Starts Linux perf on the app's CPUs for the measured load if this scenario was asked for ({@code --perf}). */
    private PerfProfile perfIfAsked(Scenario scenario, Path dir) throws IOException {
        return options.perf().contains(scenario.name()) ? PerfProfile.start(dir, options.appCpus(), options.duration())
                : null;
    }

    private static void summarize(PerfProfile perf, Wrk.Result load, Path dir, List<String> notes)
            throws IOException, InterruptedException {
        if (perf == null) {
            return;
        }
        System.out.println(perf.summarize(load.answered200(), dir.resolve("perf.txt")));
        notes.add("perf profile of the measured load (CPU µs per request by thread and by what ran, kernel included): "
                + dir.resolve("perf.txt"));
    }

    // ---- scenarios ----------------------------------------------------------------------------------------------

    private Result baseline(Scenario scenario) throws Exception {
        Path dir = Files.createDirectories(options.out().resolve(scenario.name()));
        List<String> notes = new ArrayList<>();
        try (ServerProcess server = ServerProcess.bare(options, dir.resolve("server.log"));
                ProcessSampler sampler = new ProcessSampler(server.pid(), null)) {
            notes.add("server CPUs: " + ProcessSampler.cpusAllowed(server.pid()) + "; " + gcOf(server));
            notes.add(warmUp(server, dir, 1000, 0, 0).note());
            sampler.mark();
            PerfProfile perf = perfIfAsked(scenario, dir);
            Wrk.Result load = wrk.run("load", dir, server.port, Seeder.WEBHOOK_ID, options.duration(),
                    options.homeys(), 0, 0, options.rate());
            ProcessSampler.CpuWindow cpu = sampler.sinceMark();
            summarize(perf, load, dir, notes);
            return new Result(scenario, load, -1, -1, -1, -1, -1, 0, null, cpu, sampler.javaPeakRss(), -1, -1, notes);
        }
    }

    private Result app(Scenario s) throws Exception {
        Path dir = Files.createDirectories(options.out().resolve(s.name()));
        Path data = dir.resolve("postgres");
        Path log = dir.resolve("app.log");
        List<String> notes = new ArrayList<>();

        try {
            return s.isTwoNodes() ? twoNodes(s, dir, data, log, notes) : app(s, dir, data, log, notes);
        } finally {
            if (!options.keepData()) {
                deleteRecursively(data); // the app and its PostgreSQL have stopped
            }
        }
    }

    private Result app(Scenario s, Path dir, Path data, Path log, List<String> notes) throws Exception {
        double seedSeconds = seed(s, data, log);
        long startNanos = System.nanoTime();
        // Recording from startup: starting JFR in a warm JVM made C2 recompile for tens of seconds (measured: 40% of
        // the core during the window), which would profile the JIT rather than the app.
        boolean profiling = options.profile().contains(s.name());
        Path jfr = dir.resolve("app.jfr");
        // DebugNonSafepoints: samples land on the frame that ran, not the nearest safepoint's (inlined code).
        List<String> jfrOpts = profiling ? List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints",
                "-XX:StartFlightRecording=name=bench,settings=" + options.jfrSettings() + ",filename=" + jfr)
                : List.of();
        // The app loads webhooks and registrations at startup: restart it on the seeded database.
        try (ServerProcess app = ServerProcess.app(options, data, s.appEnv(), jfrOpts, log);
                ProcessSampler sampler = new ProcessSampler(app.pid(), data);
                HomeyFleet fleet = new HomeyFleet(app.port);
                Connection c = app.database()) {
            notes.add(String.format("seeded %,d offline registrations in %.1f s; app ready in %.1f s, registration"
                    + " index %s", s.filler(), seedSeconds, (System.nanoTime() - startNanos) / 1e9, app.indexLoad()));
            List<Long> children = sampler.children();
            notes.add("app CPUs: " + ProcessSampler.cpusAllowed(app.pid()) + ", its PostgreSQL ("
                    + children.size() + " processes): "
                    + (children.isEmpty() ? "?" : ProcessSampler.cpusAllowed(children.get(0))) + ", load generator: "
                    + ProcessSampler.cpusAllowed(ProcessHandle.current().pid()) + "; " + gcOf(app));

            long fleetStart = System.nanoTime();
            fleet.enroll(s.homeys());
            fleet.connect(fleet.homeys);
            List<HomeyFleet.SimHomey> subscribed = fleet.homeys.subList(0, s.subscribed());
            fleet.subscribe(subscribed, Seeder.WEBHOOK_ID, Seeder.WEBHOOK_SECRET);
            notes.add(String.format("fleet: %,d Homeys enrolled, connected and %,d subscribed in %.1f s",
                    s.homeys(), s.subscribed(), (System.nanoTime() - fleetStart) / 1e9));
            List<HomeyFleet.SimHomey> offline = subscribed.subList(s.subscribed() - s.offline(), s.subscribed());
            List<HomeyFleet.SimHomey> stalled = subscribed.subList(0, s.stalled());
            List<HomeyFleet.SimHomey> live = subscribed.subList(s.stalled(), s.subscribed() - s.offline());
            fleet.disconnect(offline);
            long heapBeforeLoad = heapAfterFullGc(app);
            notes.add("app heap after a full GC, fleet connected, before any load: " + mb(heapBeforeLoad));

            Warmup warmup = warmUp(app, dir, s.subscribed(), s.filler(), s.offlineTraffic());
            notes.add(warmup.note());
            awaitDelivered(c, fleet, live, Duration.ofSeconds(60));
            long heapBefore = -1;
            if (!stalled.isEmpty()) {
                heapBefore = heapAfterFullGc(app);
                fleet.stall(stalled);
            }

            long deliveredBefore = fleet.delivered.get();
            long acksBefore = fleet.acks.get();
            int samplesBefore = sampler.samples().size();
            AppMetrics metricsBefore = AppMetrics.scrape(app.managementPort, null);
            fleet.startRecording();
            sampler.mark();
            Instant windowStart = Instant.now();
            PerfProfile perf = perfIfAsked(s, dir);
            Wrk.Result load = wrk.run("load", dir, app.port, Seeder.WEBHOOK_ID, options.duration(), s.subscribed(),
                    s.filler(), s.offlineTraffic(), options.rate());
            ProcessSampler.CpuWindow cpu = sampler.sinceMark();
            summarize(perf, load, dir, notes);
            AppMetrics metricsAfter = AppMetrics.scrape(app.managementPort, dir.resolve("metrics-after-load.txt"));
            double delivered = (fleet.delivered.get() - deliveredBefore) / load.seconds();
            double acks = (fleet.acks.get() - acksBefore) / load.seconds();
            fleet.stopRecording();
            LatencyHistogram e2e = fleet.endToEnd;
            if (profiling) {
                Instant windowEnd = Instant.now();
                app.jcmd("JFR.stop", "name=bench");
                String profile = JfrSummary.summarize(jfr, windowStart, windowEnd, load.answered200(), 15);
                Files.writeString(dir.resolve("profile.txt"), profile);
                System.out.println(profile);
                notes.add("JFR profile of the measured load: " + dir.resolve("profile.txt"));
            }
            notes.add(String.format("CPU during the load: app JVM %.0f%% (JIT compiler threads %.0f%% of it),"
                    + " PostgreSQL %.0f%% (of one core); %s", cpu.javaPercent(), cpu.compilerPercent(),
                    cpu.childPercent(), AppMetrics.groupCommit(metricsBefore, metricsAfter)));
            if (cpu.compilerPercent() >= WARM_COMPILER_PERCENT) {
                notes.add(String.format("**the JIT was busy during the measured load** (%.0f%% of a core): the"
                        + " figures include compilation", cpu.compilerPercent()));
            }

            double catchUp = awaitDelivered(c, fleet, live, options.drainTimeout());
            notes.add(String.format("connected Homeys had everything %.1f s after the load ended", catchUp));
            if (!stalled.isEmpty()) {
                List<ProcessSampler.MemorySample> during = sampler.samples().subList(samplesBefore,
                        sampler.samples().size());
                notes.add(stallMemory(app, stalled.size(), heapBefore, during));
                notes.add(resumeStalled(c, fleet, stalled));
            }
            if (!offline.isEmpty()) {
                notes.add(reconnectOffline(c, fleet, offline));
            }
            notes.add(awaitAckedInLog(c, subscribed, Duration.ofSeconds(30)));
            List<Path> ids = new ArrayList<>(warmup.idFiles());
            ids.addAll(load.idFiles());
            LossCheck.Report loss = LossCheck.run(c, ids, fleet);
            notes.addAll(lossNotes(loss));
            notes.add(String.format("fleet: %,d duplicates (at-least-once resends), %,d sockets closed by the"
                    + " server (%,d reconnects); targets by state at the end: %s", fleet.duplicates.get(),
                    fleet.closedByServer.get(), fleet.reconnects.get(), LossCheck.targetStates(c)));
            return new Result(s, load, delivered, acks, e2e.percentile(0.5), e2e.percentile(0.99),
                    e2e.percentile(0.999), e2e.count(), loss, cpu, sampler.javaPeakRss(), sampler.childPeakPss(),
                    heapBeforeLoad, notes);
        }
    }

    /**
     * The cluster scenario: node A (with the embedded PostgreSQL) and node B (using A's PostgreSQL) share a Redis on a
     * loopback port, all three pinned to the app CPUs like the single node. The fleet enrolls and connects through B
     * and wrk posts to A, so every message crosses nodes: A commits it and hands the frame over Redis to B, which
     * writes it to the socket, receives the ack and records the outcome. CPU counts both JVMs, PostgreSQL and Redis.
     */
    private Result twoNodes(Scenario s, Path dir, Path data, Path log, List<String> notes) throws Exception {
        double seedSeconds = seed(s, data, log);
        long startNanos = System.nanoTime();
        try (RedisServer redis = RedisServer.start(options.appCpus(), dir.resolve("redis.log"));
                ServerProcess a = ServerProcess.app(options, data, clusterEnv(s, redis, "a", Map.of()), List.of(),
                        log);
                Connection c = a.database();
                ServerProcess b = ServerProcess.app(options, data, clusterEnv(s, redis, "b",
                        Map.of("QUARKUS_DATASOURCE_JDBC_URL", c.getMetaData().getURL(),
                                "QUARKUS_DATASOURCE_USERNAME", "postgres", "QUARKUS_DATASOURCE_PASSWORD", "postgres")),
                        List.of(), dir.resolve("app-b.log"));
                ProcessSampler samplerA = new ProcessSampler(a.pid(), data);
                ProcessSampler samplerB = new ProcessSampler(b.pid(), null);
                HomeyFleet fleet = new HomeyFleet(b.port)) {
            notes.add(String.format("seeded %,d offline registrations in %.1f s; both nodes ready in %.1f s",
                    s.filler(), seedSeconds, (System.nanoTime() - startNanos) / 1e9));
            List<Long> children = samplerA.children();
            notes.add("CPUs: node A " + ProcessSampler.cpusAllowed(a.pid()) + ", node B "
                    + ProcessSampler.cpusAllowed(b.pid()) + ", Redis " + ProcessSampler.cpusAllowed(redis.pid())
                    + ", PostgreSQL (" + children.size() + " processes) "
                    + (children.isEmpty() ? "?" : ProcessSampler.cpusAllowed(children.get(0))) + ", load generator "
                    + ProcessSampler.cpusAllowed(ProcessHandle.current().pid()) + "; " + gcOf(a));

            long fleetStart = System.nanoTime();
            fleet.enroll(s.homeys());
            fleet.connect(fleet.homeys);
            List<HomeyFleet.SimHomey> subscribed = fleet.homeys.subList(0, s.subscribed());
            fleet.subscribe(subscribed, Seeder.WEBHOOK_ID, Seeder.WEBHOOK_SECRET);
            Thread.sleep(500); // the subscribes reach node A's index over the change feed (promised within 100 ms)
            notes.add(String.format("fleet: %,d Homeys enrolled and connected through node B, %,d subscribed, in"
                    + " %.1f s", s.homeys(), s.subscribed(), (System.nanoTime() - fleetStart) / 1e9));

            List<Long> jvms = List.of(a.pid(), b.pid());
            Warmup warmup = warmUp(a, jvms, dir, s.subscribed(), 0, 0);
            notes.add(warmup.note() + " (both JVMs' compilers together)");
            awaitDelivered(c, fleet, subscribed, Duration.ofSeconds(60));

            long deliveredBefore = fleet.delivered.get();
            long acksBefore = fleet.acks.get();
            long redisBefore = ProcessSampler.ticks(redis.pid());
            fleet.startRecording();
            samplerA.mark();
            samplerB.mark();
            Wrk.Result load = wrk.run("load", dir, a.port, Seeder.WEBHOOK_ID, options.duration(), s.subscribed(), 0,
                    0, options.rate());
            ProcessSampler.CpuWindow cpuA = samplerA.sinceMark();
            ProcessSampler.CpuWindow cpuB = samplerB.sinceMark();
            double redisSeconds = (ProcessSampler.ticks(redis.pid()) - redisBefore) / 100.0; // USER_HZ
            double delivered = (fleet.delivered.get() - deliveredBefore) / load.seconds();
            double acks = (fleet.acks.get() - acksBefore) / load.seconds();
            fleet.stopRecording();
            LatencyHistogram e2e = fleet.endToEnd;
            double wall = cpuA.wallSeconds();
            ProcessSampler.CpuWindow cpu = new ProcessSampler.CpuWindow(cpuA.javaSeconds() + cpuB.javaSeconds(),
                    cpuA.childSeconds() + redisSeconds, cpuA.compilerSeconds() + cpuB.compilerSeconds(), wall);
            double perRequest = load.answered200() == 0 ? 0 : 1e6 / load.answered200();
            notes.add(String.format("CPU during the load (%% of one core; µs per request answered 200): node A"
                    + " (senders) %.0f%% = %.0f µs, node B (Homeys) %.0f%% = %.0f µs, PostgreSQL %.0f%% = %.0f µs,"
                    + " Redis %.0f%% = %.0f µs; JIT compiler threads %.0f%%. The table's \"app\" is both JVMs,"
                    + " its \"pg\" PostgreSQL + Redis", cpuA.javaPercent(), cpuA.javaSeconds() * perRequest,
                    cpuB.javaPercent(), cpuB.javaSeconds() * perRequest, cpuA.childPercent(),
                    cpuA.childSeconds() * perRequest, 100 * redisSeconds / wall, redisSeconds * perRequest,
                    cpu.compilerPercent()));

            double catchUp = awaitDelivered(c, fleet, subscribed, options.drainTimeout());
            notes.add(String.format("Homeys on node B had everything %.1f s after the load ended", catchUp));
            notes.add(awaitAckedInLog(c, subscribed, Duration.ofSeconds(30)));
            List<Path> ids = new ArrayList<>(warmup.idFiles());
            ids.addAll(load.idFiles());
            LossCheck.Report loss = LossCheck.run(c, ids, fleet);
            notes.addAll(lossNotes(loss));
            notes.add(String.format("fleet: %,d duplicates (at-least-once resends: a hand-over slower than the"
                    + " pending sweep's 2 s shows here), %,d sockets closed by the server (%,d reconnects);"
                    + " targets by state at the end: %s", fleet.duplicates.get(), fleet.closedByServer.get(),
                    fleet.reconnects.get(), LossCheck.targetStates(c)));
            long peakA = samplerA.javaPeakRss();
            long peakB = samplerB.javaPeakRss();
            notes.add("peak RSS: node A " + mb(peakA) + ", node B " + mb(peakB) + " (the table gives their sum)");
            return new Result(s, load, delivered, acks, e2e.percentile(0.5), e2e.percentile(0.99),
                    e2e.percentile(0.999), e2e.count(), loss, cpu, peakA + peakB, samplerA.childPeakPss(), -1, notes);
        }
    }

    private static Map<String, String> clusterEnv(Scenario s, RedisServer redis, String nodeId,
            Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(s.appEnv());
        env.put("SWITCHBOARD_CLUSTER_REDIS_URL", redis.url());
        env.put("SWITCHBOARD_CLUSTER_NODE_ID", nodeId);
        env.putAll(more);
        return env;
    }

    /**
     * Starts the app once on a fresh data folder (Flyway creates the schema), inserts the webhook and the
     * registrations of Homeys that never connect, and stops it; answers the seconds it took.
     */
    private double seed(Scenario s, Path data, Path log) throws Exception {
        long start = System.nanoTime();
        deleteRecursively(data); // not the app's "clean" setting: that also deletes the data when the app stops
        try (ServerProcess first = ServerProcess.app(options, data, s.appEnv(), List.of(), log);
                Connection c = first.database()) {
            Seeder.webhook(c);
            Seeder.offlineRegistrations(c, s.filler());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static String stallMemory(ServerProcess app, int stalled, long heapBefore,
            List<ProcessSampler.MemorySample> during) throws IOException, InterruptedException {
        return String.format("stalled %,d Homeys: heap after full GC %s before the load, %s at its end; app RSS %s at"
                + " the start of the load, %s at its end (peak %s)", stalled, mb(heapBefore), mb(heapAfterFullGc(app)),
                mb(during.isEmpty() ? -1 : during.get(0).javaRss()),
                mb(during.isEmpty() ? -1 : during.get(during.size() - 1).javaRss()),
                mb(during.stream().mapToLong(ProcessSampler.MemorySample::javaRss).max().orElse(-1)));
    }

    private String resumeStalled(Connection c, HomeyFleet fleet, List<HomeyFleet.SimHomey> stalled)
            throws SQLException, InterruptedException {
        long before = fleet.receivedBy(stalled);
        fleet.resume(stalled);
        double seconds = awaitDelivered(c, fleet, stalled, options.drainTimeout());
        long drained = fleet.receivedBy(stalled) - before;
        return String.format("stalled Homeys resumed: %,d more messages (they had %,d) drained in %.1f s = %,.0f"
                + " msg/s; %,d sockets closed by the server, %,d reconnects", drained, before, seconds,
                drained / Math.max(seconds, 1e-3), fleet.closedByServer.get(), fleet.reconnects.get());
    }

    private String reconnectOffline(Connection c, HomeyFleet fleet, List<HomeyFleet.SimHomey> offline)
            throws Exception {
        long waiting = LossCheck.targetsOf(c, offline);
        long start = System.nanoTime();
        fleet.connect(offline);
        double reconnect = (System.nanoTime() - start) / 1e9;
        double seconds = reconnect + awaitDelivered(c, fleet, offline, options.drainTimeout());
        long drained = fleet.receivedBy(offline);
        return String.format("%,d offline Homeys reconnected: %,d queued messages, %,d received in %.1f s = %,.0f"
                + " msg/s drain rate (reconnecting them all took %.1f s of it)", offline.size(), waiting, drained,
                seconds, drained / Math.max(seconds, 1e-3), reconnect);
    }

    private static List<String> lossNotes(LossCheck.Report loss) {
        List<String> notes = new ArrayList<>();
        long targets = loss.fleetTargets() + loss.waitingForOfflineHomeys();
        notes.add(String.format("loss check over %,d answered 200 (warmup + load): %,d not in the log, %,d unmatched,"
                + " %,d targets of fleet Homeys of which %,d never arrived%s; %,d (%.1f%%) for Homeys that never"
                + " connect (waiting, as designed)", loss.answered200(), loss.notRecorded(), loss.unmatched(),
                loss.fleetTargets(), loss.notReceived(), loss.notReceived() == 0 ? ""
                        : " (by the end of the drain; their states in the log: " + loss.notReceivedStates() + ")",
                loss.waitingForOfflineHomeys(), targets == 0 ? 0 : 100.0 * loss.waitingForOfflineHomeys() / targets));
        loss.examples().forEach(e -> notes.add("  lost: " + e));
        return notes;
    }

    /** What warming up took; its requests are part of the loss check. */
    record Warmup(int rounds, boolean quiet, double lastCompilerPercent, List<Path> idFiles) {
        String note() {
            if (!quiet) {
                return String.format("**warmup: the JIT was NOT quiet** after %d round(s) (--max-warmup spent before %d"
                        + " rounds in a row under %.0f%% of a core; last round %.0f%%): the figures include compilation",
                        rounds, QUIET_ROUNDS, WARM_COMPILER_PERCENT, lastCompilerPercent);
            }
            return String.format("warmup: %d round(s), until the JIT compiler used under %.0f%% of a core %d rounds in a"
                    + " row (last round: %.0f%%)", rounds, WARM_COMPILER_PERCENT, QUIET_ROUNDS, lastCompilerPercent);
        }
    }

    private static final double WARM_COMPILER_PERCENT = 5;
    /**
     * One quiet round was not enough: C2 often pauses between waves of compilation, and the measured window then still
     * showed the JIT at 5-12% of the app (measured 2026-12-05).
     */
    private static final int QUIET_ROUNDS = 2;

    /**
     * Drives load in rounds of {@code --warmup} until the server's JIT compiler threads go quiet (or
     * {@code --max-warmup} is spent): on one busy core C2 alone can take most of the CPU for tens of seconds, and a
     * fixed short warmup would measure compilation instead of the server.
     */
    private Warmup warmUp(ServerProcess server, Path dir, int onlineKeys, int offlineKeys, double offlineFraction)
            throws IOException, InterruptedException {
        return warmUp(server, List.of(server.pid()), dir, onlineKeys, offlineKeys, offlineFraction);
    }

    /** As above, load sent to {@code server}, until the JIT compilers of all {@code jvms} together go quiet. */
    private Warmup warmUp(ServerProcess server, List<Long> jvms, Path dir, int onlineKeys, int offlineKeys,
            double offlineFraction) throws IOException, InterruptedException {
        List<Path> ids = new ArrayList<>();
        long deadline = System.nanoTime() + options.maxWarmup().toNanos();
        int round = 0;
        int quietInARow = 0;
        double compilerPercent;
        do {
            round++;
            double before = compilerSeconds(jvms);
            long start = System.nanoTime();
            Wrk.Result r = wrk.run("warmup-" + round, dir, server.port, Seeder.WEBHOOK_ID, options.warmup(),
                    onlineKeys, offlineKeys, offlineFraction, 0);
            ids.addAll(r.idFiles());
            compilerPercent = 100 * (compilerSeconds(jvms) - before)
                    / ((System.nanoTime() - start) / 1e9);
            System.out.printf("  warmup round %d: %,.0f req/s, JIT compiler %.0f%% of a core%n", round,
                    r.requestsPerSecond(), compilerPercent);
            quietInARow = compilerPercent < WARM_COMPILER_PERCENT ? quietInARow + 1 : 0;
        } while (quietInARow < QUIET_ROUNDS && System.nanoTime() < deadline);
        return new Warmup(round, quietInARow >= QUIET_ROUNDS, compilerPercent, ids);
    }

    private static double compilerSeconds(List<Long> jvms) {
        double seconds = 0;
        for (long pid : jvms) {
            seconds += ProcessSampler.compilerSeconds(pid);
        }
        return seconds;
    }

    /**
     * Waits until {@code homeys} have received every message recorded for them; answers the seconds it took (or the
     * timeout, if they never did).
     */
    private static double awaitDelivered(Connection c, HomeyFleet fleet, List<HomeyFleet.SimHomey> homeys,
            Duration timeout) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        if (homeys.isEmpty()) {
            return 0;
        }
        // Called once the load has stopped: what was recorded for them no longer changes. Counted once, so that
        // polling does not load the database whose drain is being timed.
        long expected = LossCheck.targetsOf(c, homeys);
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline && fleet.receivedBy(homeys) < expected) {
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Waits until the log shows every target of {@code homeys} as acked; a note on how long that took. */
    private static String awaitAckedInLog(Connection c, List<HomeyFleet.SimHomey> homeys, Duration timeout)
            throws SQLException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long unacked;
        do {
            unacked = LossCheck.unackedOf(c, homeys);
            if (unacked == 0) {
                return String.format("the log showed every fleet target as acked %.1f s after delivery",
                        (System.nanoTime() - start) / 1e9);
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        return String.format("%,d fleet targets still not acked in the log %d s after delivery (all were received"
                + " and acknowledged by the fleet)", unacked, timeout.toSeconds());
    }

    // ---- environment ----------------------------------------------------------------------------------------------

    /** Who made the JDK that runs the servers and which version, from its {@code release} file. */
    private String serverJava() {
        Map<String, String> release = BenchOptions.javaRelease(options.javaHome());
        return release.isEmpty() ? options.javaHome().toString()
                : release.getOrDefault("IMPLEMENTOR", "?") + " "
                        + release.getOrDefault("JAVA_RUNTIME_VERSION", release.getOrDefault("JAVA_VERSION", "?"));
    }

    private String header() throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("# Switchboard benchmark, ").append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .append("\n\n");
        h.append("- machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs visible to the load generator, ").append(memTotal()).append('\n');
        h.append("- pinning: app + embedded PostgreSQL on CPUs ").append(options.appCpus())
                .append("; wrk + Homey fleet on CPUs ").append(options.loadCpus()).append('\n');
        h.append("- server java: ").append(serverJava()).append("; server JVM options: ")
                .append(options.jvmOpts().isBlank() ? "(none, JVM defaults)" : options.jvmOpts()).append('\n');
        h.append(String.format("- load: wrk, 1 thread, %d connections, %s JSON bodies, key path body.device_id,"
                + " %,d Homeys; per scenario %d s rounds of warmup until the server's JIT is quiet (at most %d s),"
                + " then %d s measured%s%n", options.connections(), options.bodyPadding() > 0
                        ? String.format("~%,d-byte", 120 + options.bodyPadding()) : "~110-byte",
                options.homeys(), options.warmup().toSeconds(),
                options.maxWarmup().toSeconds(), options.duration().toSeconds(), options.rate() > 0
                        ? String.format(", paced near %,d req/s (each connection waits %d ms between requests)",
                                options.rate(), Math.round(options.connections() * 1000.0 / options.rate()))
                        : ", as fast as the app answers"));
        h.append("- load average at start: ").append(loadAverage()).append(" (other work on this machine skews"
                + " absolute numbers; compare ratios to the baseline)\n");
        return h.toString();
    }

    private static String gcOf(ServerProcess server) throws IOException, InterruptedException {
        String flags = server.jcmd("VM.flags");
        Matcher gc = Pattern.compile("-XX:\\+Use(\\w+GC)").matcher(flags);
        Matcher heap = Pattern.compile("-XX:MaxHeapSize=(\\d+)").matcher(flags);
        return (gc.find() ? gc.group(1) : "?") + ", max heap "
                + (heap.find() ? mb(Long.parseLong(heap.group(1))) : "?");
    }

    private static long heapAfterFullGc(ServerProcess app) throws IOException, InterruptedException {
        app.jcmd("GC.run");
        long used = 0;
        for (String line : app.jcmd("GC.heap_info").split("\n")) {
            Matcher m = HEAP_USED.matcher(line);
            if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                used += Long.parseLong(m.group(1)) * 1024;
            }
        }
        return used;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void pinSelf(String cpus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("taskset could not pin the load generator to CPUs " + cpus);
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " / " + f[1] + " / " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux?
        }
        return "?";
    }

    private static String memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB RAM";
                }
            }
        } catch (IOException e) {
            // not Linux?
        }
        return "?";
    }

    static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format("%,d MB", Math.round(bytes / 1024.0 / 1024.0));
    }
}
