package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs wrk with src/bench/wrk/ingest.lua against {@code POST /webhook/{id}} and reads what the script wrote. */
final class Wrk {

    /** Latencies in microseconds; {@code non2xx} are answers of 400 and up (wrk's "status errors"). */
    record Result(String label, long requests, long answered200, long non2xx, long socketErrors, double seconds,
            long p50, long p90, long p99, long p999, long max, List<Path> idFiles) {

        double requestsPerSecond() {
            return answered200 / seconds;
        }
    }

    private final BenchOptions options;

    Wrk(BenchOptions options) {
        this.options = options;
    }

    static void requireInstalled() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("wrk is not installed: apt-get install -y wrk", e);
        }
    }

    /**
     * @param onlineKeys  devices of connected Homeys ({@code c000000..})
     * @param offlineKeys devices of Homeys that never connect ({@code o0000000..})
     * @param rate        pace near this many requests per second; 0 for as fast as the server answers
     */
    Result run(String label, Path dir, int port, String webhookId, Duration duration, int onlineKeys,
            int offlineKeys, double offlineFraction, int rate) throws IOException, InterruptedException {
        Path prefix = dir.resolve("wrk-" + label);
        List<String> command = new ArrayList<>(List.of("taskset", "-c", options.loadCpus(), "wrk", "-t1",
                "-c" + options.connections(), "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "10s",
                "-s", options.wrkScript().toString(), "http://127.0.0.1:" + port + "/webhook/" + webhookId));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("wrk-" + label + ".out").toFile());
        Map<String, String> env = builder.environment();
        env.put("BENCH_ONLINE_KEYS", Integer.toString(Math.max(1, onlineKeys)));
        env.put("BENCH_OFFLINE_KEYS", Integer.toString(offlineKeys));
        env.put("BENCH_OFFLINE_FRACTION", Double.toString(offlineFraction));
        env.put("BENCH_OUT", prefix.toString());
        env.put("BENCH_BODY_PADDING", Integer.toString(options.bodyPadding()));
        env.put("BENCH_DELAY_MS", rate > 0 ? Long.toString(Math.round(options.connections() * 1000.0 / rate)) : "0");
        Process process = builder.start();
        if (!process.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("wrk did not finish; see " + dir.resolve("wrk-" + label + ".out"));
        }
        Path summaryFile = Path.of(prefix + "-summary.txt");
        if (process.exitValue() != 0 || !Files.exists(summaryFile)) {
            throw new IllegalStateException("wrk failed (exit " + process.exitValue() + "): "
                    + Files.readString(dir.resolve("wrk-" + label + ".out")));
        }
        Map<String, Double> s = new HashMap<>();
        for (String line : Files.readAllLines(summaryFile)) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                s.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        List<Path> idFiles;
        try (Stream<Path> files = Files.list(dir)) {
            String ids = "wrk-" + label + "-ids-";
            idFiles = files.filter(f -> f.getFileName().toString().startsWith(ids)).sorted().toList();
        }
        long answered200 = 0;
        for (Path f : idFiles) {
            try (Stream<String> lines = Files.lines(f)) {
                answered200 += lines.filter(l -> !l.isBlank()).count();
            }
        }
        long socketErrors = (long) (s.get("errors_connect") + s.get("errors_read") + s.get("errors_write")
                + s.get("errors_timeout"));
        return new Result(label, s.get("requests").longValue(), answered200, s.get("errors_status").longValue(),
                socketErrors, s.get("duration_us") / 1e6, s.get("latency_p50_us").longValue(),
                s.get("latency_p90_us").longValue(), s.get("latency_p99_us").longValue(),
                s.get("latency_p99.9_us").longValue(), s.get("latency_max_us").longValue(), idFiles);
    }
}
