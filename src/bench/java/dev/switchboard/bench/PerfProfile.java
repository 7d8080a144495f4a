package dev.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the app's CPUs go during the measured load, kernel included, from Linux {@code perf}: {@code perf record}
 * samples the app's CPUs (the app, its PostgreSQL, and the kernel's work for both, e.g. TCP over loopback), and the
 * samples are split by thread (event loops, the delivery writers, PostgreSQL, the collector, the JIT compiler) and by
 * what ran (Java code the JIT compiled, the JVM itself, the kernel, PostgreSQL or a library), as CPU µs per request.
 * JFR sees only Java frames; this shows the rest. Needs {@code perf} (Debian: {@code linux-perf}) and root or
 * {@code kernel.perf_event_paranoid} at most 0.
 */
final class PerfProfile {

    /** perf's "pct;comm;dso" lines of {@code perf report --sort comm,dso --field-separator ;}. */
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9.]+)%\\s*;([^;]*);(.*)$");
    private static final String IDLE = "idle";
    private static final List<String> WHAT = List.of("Java (JIT code)", "JVM (runtime, GC, interpreter)", "kernel",
            "PostgreSQL", "libraries");

    private final Process record;
    private final Path data;
    private final int cpus;
    private final Duration duration;

    private PerfProfile(Process record, Path data, int cpus, Duration duration) {
        this.record = record;
        this.data = data;
        this.cpus = cpus;
        this.duration = duration;
    }

    /** Starts sampling {@code cpuList} (taskset syntax) for {@code duration}, writing {@code dir/perf.data}. */
    static PerfProfile start(Path dir, String cpuList, Duration duration) throws IOException {
        Path data = dir.resolve("perf.data");
        Process record = new ProcessBuilder("perf", "record", "-F", "999", "-C", cpuList, "-o", data.toString(),
                "--", "sleep", Long.toString(duration.toSeconds())).redirectErrorStream(true)
                .redirectOutput(dir.resolve("perf-record.log").toFile()).start();
        return new PerfProfile(record, data, cpuCount(cpuList), duration);
    }

    /** Waits for the recording and summarises it for {@code requests} requests; the text also goes to a file. */
    String summarize(long requests, Path out) throws IOException, InterruptedException {
        if (!record.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || record.exitValue() != 0) {
            record.destroyForcibly();
            String failed = "perf record failed: see " + data.resolveSibling("perf-record.log") + "\n";
            Files.writeString(out, failed);
            return failed;
        }
        Process report = new ProcessBuilder("perf", "report", "-i", data.toString(), "--no-children", "-g", "none",
                "--sort", "comm,dso", "--stdio", "--field-separator", ";", "--percent-limit", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(report.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        report.waitFor();
        Map<String, double[]> byThread = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                double[] row = byThread.computeIfAbsent(threadGroup(m.group(2).trim()), k -> new double[WHAT.size()]);
                row[what(m.group(3).trim())] += Double.parseDouble(m.group(1));
            }
        }
        String summary = table(byThread, requests);
        Files.writeString(out, summary);
        return summary;
    }

    private String table(Map<String, double[]> byThread, long requests) {
        // cpu-clock samples cover the CPUs' whole time, idle included: a share of the samples is a share of it.
        double microsPerPercent = cpus * duration.toNanos() / 1e3 / 100 / Math.max(1, requests);
        StringBuilder out = new StringBuilder(String.format("perf: CPU µs per request on the app's %d CPU(s), %,d"
                + " requests in %d s, by thread and by what ran%n%n| thread |", cpus, requests, duration.toSeconds()));
        WHAT.forEach(w -> out.append(' ').append(w).append(" |"));
        out.append(" total |\n| --- |").append(" ---: |".repeat(WHAT.size() + 1)).append('\n');
        double[] columns = new double[WHAT.size()];
        double[] idle = byThread.remove(IDLE);
        List<Map.Entry<String, double[]>> rows = new ArrayList<>(byThread.entrySet());
        rows.sort((a, b) -> Double.compare(sum(b.getValue()), sum(a.getValue())));
        for (Map.Entry<String, double[]> row : rows) {
            out.append("| ").append(row.getKey()).append(" |");
            for (int i = 0; i < WHAT.size(); i++) {
                out.append(String.format(" %.1f |", row.getValue()[i] * microsPerPercent));
                columns[i] += row.getValue()[i];
            }
            out.append(String.format(" %.1f |%n", sum(row.getValue()) * microsPerPercent));
        }
        out.append("| all |");
        for (double column : columns) {
            out.append(String.format(" %.1f |", column * microsPerPercent));
        }
        out.append(String.format(" %.1f |%n", sum(columns) * microsPerPercent));
        if (idle != null) {
            out.append(String.format("%nIdle: %.1f µs per request.%n", sum(idle) * microsPerPercent));
        }
        return out.toString();
    }

    /** perf names threads by their first 15 characters. */
    private static String threadGroup(String comm) {
        if (comm.startsWith("vert.x-eventloo")) {
            return "event loops";
        }
        if (comm.startsWith("switchboard-")) {
            return "delivery writers (recorder, its completer, outcomes)";
        }
        if (comm.equals("postgres")) {
            return "PostgreSQL";
        }
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return "JIT compiler";
        }
        if (comm.equals("VM Thread") || comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "garbage collector (VM thread)";
        }
        if (comm.equals("swapper")) {
            return IDLE;
        }
        return "other threads";
    }

    private static int what(String dso) {
        if (dso.startsWith("[JIT]")) {
            return 0;
        }
        if (dso.equals("libjvm.so")) {
            return 1;
        }
        if (dso.startsWith("[kernel")) {
            return 2;
        }
        if (dso.equals("postgres")) {
            return 3;
        }
        return 4;
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }

    /** CPUs in a taskset list such as {@code 0} or {@code 0,2-3}. */
    static int cpuCount(String cpuList) {
        int count = 0;
        for (String part : cpuList.split(",")) {
            String[] range = part.trim().split("-");
            count += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        return count;
    }
}
