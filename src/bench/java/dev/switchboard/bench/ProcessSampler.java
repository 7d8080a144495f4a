package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU and memory of a server process and its children (the app's embedded PostgreSQL and its backends: pg_ctl
 * starts the postmaster as a daemon, so it is found through its postmaster.pid rather than as a child), from
 * /proc, sampled twice a second: CPU as time used over wall time (100% = one core), memory as the JVM's peak RSS
 * (VmHWM) and PostgreSQL's peak proportional set size (Pss, so shared buffers count once, not once per backend).
 */
final class ProcessSampler implements AutoCloseable {

    /** CPU used in a window, in seconds, split between the JVM and its children. */
    record CpuWindow(double javaSeconds, double childSeconds, double compilerSeconds, double wallSeconds) {

        double compilerPercent() {
            return 100 * compilerSeconds / wallSeconds;
        }

        double javaPercent() {
            return 100 * javaSeconds / wallSeconds;
        }

        double childPercent() {
            return 100 * childSeconds / wallSeconds;
        }

        double totalPercent() {
            return javaPercent() + childPercent();
        }
    }

    /** One memory sample, in bytes. */
    record MemorySample(long atMillis, long javaRss, long childPss) {
    }

    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private final long pid;
    private final Path postmasterPidFile;
    private final Thread thread;
    private final List<MemorySample> samples = new ArrayList<>();
    private volatile boolean running = true;
    private long peakChildPss;
    private final long started = System.currentTimeMillis();

    private long markJava;
    private long markChildren;
    private double markCompiler;
    private long markNanos;
    /** CPU ticks of children seen so far: a backend that exits between marks keeps what it had used. */
    private final Map<Long, Long> childTicks = new HashMap<>();

    /** @param dataDir the embedded PostgreSQL's data folder, or null for a server without one */
    ProcessSampler(long pid, Path dataDir) {
        this.pid = pid;
        this.postmasterPidFile = dataDir == null ? null : dataDir.resolve("postmaster.pid");
        this.thread = new Thread(this::run, "process-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Starts a CPU window. */
    synchronized void mark() {
        markJava = ticks(pid);
        markChildren = childTicksNow();
        markCompiler = compilerSeconds(pid);
        markNanos = System.nanoTime();
    }

    /** CPU since {@link #mark()}. */
    synchronized CpuWindow sinceMark() {
        double wall = (System.nanoTime() - markNanos) / 1e9;
        return new CpuWindow((ticks(pid) - markJava) / (double) CLOCK_TICKS,
                (childTicksNow() - markChildren) / (double) CLOCK_TICKS, compilerSeconds(pid) - markCompiler, wall);
    }

    /** The JVM's peak resident set over its life (VmHWM), in bytes. */
    long javaPeakRss() {
        return statusField(pid, "VmHWM:");
    }

    synchronized long childPeakPss() {
        return peakChildPss;
    }

    synchronized List<MemorySample> samples() {
        return List.copyOf(samples);
    }

    /** CPU list the process may run on (to show that taskset took). */
    static String cpusAllowed(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring("Cpus_allowed_list:".length()).trim();
                }
            }
        } catch (IOException e) {
            // gone
        }
        return "?";
    }

    /** The JVM's child processes, and the PostgreSQL server with its backends. */
    List<Long> children() {
        java.util.Set<Long> all = new java.util.LinkedHashSet<>();
        long postmaster = postmaster();
        if (postmaster > 0) {
            all.add(postmaster);
            all.addAll(descendants(postmaster));
        }
        all.addAll(descendants(pid));
        return new ArrayList<>(all);
    }

    private long postmaster() {
        if (postmasterPidFile == null) {
            return -1;
        }
        try {
            return Long.parseLong(Files.readAllLines(postmasterPidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(2000);
    }

    private void run() {
        while (running) {
            long javaRss = statusField(pid, "VmRSS:");
            long pss = 0;
            for (long child : children()) {
                pss += pss(child);
            }
            synchronized (this) {
                childTicksNow();
                samples.add(new MemorySample(System.currentTimeMillis() - started, javaRss, pss));
                peakChildPss = Math.max(peakChildPss, pss);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Updates and sums the CPU ticks of every child seen so far. */
    private long childTicksNow() {
        for (long child : children()) {
            long t = ticks(child);
            if (t >= 0) {
                childTicks.merge(child, t, Math::max);
            }
        }
        long sum = 0;
        for (long t : childTicks.values()) {
            sum += t;
        }
        return sum;
    }

    /**
     * CPU seconds the JVM's JIT compiler threads have used so far: while they are busy the app is still warming up,
     * and what it measures is partly compilation.
     */
    static double compilerSeconds(long pid) {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // thread ended
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks / (double) CLOCK_TICKS;
    }

    /** utime + stime of a process (all its threads), in clock ticks; -1 when it is gone. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name (which may hold spaces) start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return kilobytes(line) * 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private static long pss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    return kilobytes(line) * 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return 0;
    }

    private static long kilobytes(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    /** Every process below {@code root}, by walking /proc's parent links. */
    static List<Long> descendants(long root) {
        Map<Long, List<Long>> childrenOf = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .forEach(n -> {
                        try {
                            String stat = Files.readString(Path.of("/proc/" + n + "/stat"));
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            childrenOf.computeIfAbsent(Long.parseLong(f[1]), k -> new ArrayList<>())
                                    .add(Long.parseLong(n));
                        } catch (IOException | RuntimeException gone) {
                            // exited meanwhile
                        }
                    });
        } catch (IOException e) {
            return List.of();
        }
        List<Long> found = new ArrayList<>();
        List<Long> frontier = new ArrayList<>(List.of(root));
        while (!frontier.isEmpty()) {
            long p = frontier.remove(frontier.size() - 1);
            for (long c : childrenOf.getOrDefault(p, List.of())) {
                found.add(c);
                frontier.add(c);
            }
        }
        return found;
    }
}
