package dev.switchboard.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the app's CPU went, from the {@code jdk.ExecutionSample} events of a JFR recording (what
 * {@code jfr print --events jdk.ExecutionSample} lists, aggregated): by thread, by area, by top frame (self time),
 * by Switchboard method anywhere on the stack (inclusive), and by the first Switchboard frame on the stack; then what
 * the JIT compiled and deoptimized in the same window (a warm-up that does not settle shows there), and what was
 * allocated, per request, by class and by first Switchboard frame ({@code jdk.ObjectAllocationSample}: each sample
 * weighs the bytes allocated since the thread's previous one).
 */
final class JfrSummary {

    private JfrSummary() {
    }

    /**
     * Summarizes the events of {@code recording} that started between {@code from} and {@code to}, in which the app
     * answered {@code requests} requests.
     */
    static String summarize(Path recording, Instant from, Instant to, long requests, int top) throws IOException {
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> ownCode = new HashMap<>();
        Map<String, Long> areas = new HashMap<>();
        Map<String, Double> threadCpu = new HashMap<>();
        Set<Long> cpuLoadTimestamps = new HashSet<>();
        Map<String, Double> compileMillis = new HashMap<>();
        Map<String, Long> deoptimizations = new HashMap<>();
        long compilations = 0;
        double allCompileMillis = 0;
        long gcCount = 0;
        double gcPauseMillis = 0;
        long samples = 0;
        Map<String, Long> allocatedByClass = new HashMap<>();
        Map<String, Long> allocatedByOwnCode = new HashMap<>();
        long allocated = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                continue;
            }
            String type = event.getEventType().getName();
            if (type.equals("jdk.ThreadCPULoad") && event.getThread("eventThread") != null) {
                // Fractions of the CPUs the JVM may use (one, when pinned to one core), per second: summing them
                // and dividing by the number of seconds gives each thread's average share, native time included.
                threadCpu.merge(threadGroup(event.getThread("eventThread").getJavaName()),
                        event.getDouble("user") + event.getDouble("system"), Double::sum);
                cpuLoadTimestamps.add(event.getStartTime().getEpochSecond());
                continue;
            }
            if (type.equals("jdk.GarbageCollection")) {
                gcCount++;
                gcPauseMillis += event.getDuration("sumOfPauses").toNanos() / 1e6;
                continue;
            }
            if (type.equals("jdk.Compilation")) {
                double millis = event.getDuration().toNanos() / 1e6;
                compilations++;
                allCompileMillis += millis;
                compileMillis.merge(name(event.getValue("method")) + " (tier " + event.getShort("compileLevel")
                        + (event.getBoolean("isOsr") ? ", OSR" : "") + ")", millis, Double::sum);
                continue;
            }
            if (type.equals("jdk.Deoptimization")) {
                deoptimizations.merge(event.getString("reason") + ": " + name(event.getValue("method")), 1L,
                        Long::sum);
                continue;
            }
            if (type.equals("jdk.ObjectAllocationSample")) {
                long bytes = event.getLong("weight");
                allocated += bytes;
                allocatedByClass.merge(event.getClass("objectClass").getName(), bytes, Long::sum);
                allocatedByOwnCode.merge(firstOwnFrame(event.getStackTrace()), bytes, Long::sum);
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            String thread = event.getThread("sampledThread") == null ? "?"
                    : threadGroup(event.getThread("sampledThread").getJavaName());
            threads.merge(thread, 1L, Long::sum);
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0).getMethod()), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String method = name(frame.getMethod());
                if (seen.add(method)) {
                    inclusive.merge(method, 1L, Long::sum);
                }
            }
            ownCode.merge(firstOwnFrame(stack), 1L, Long::sum);
            areas.merge(area(frames), 1L, Long::sum);
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("%,d execution samples (jdk.ExecutionSample) of the measured load (%s to %s) in %s;"
                + " %,d GCs, %.0f ms of pauses%n", samples, from, to, recording, gcCount, gcPauseMillis));
        int seconds = Math.max(1, cpuLoadTimestamps.size());
        out.append("\nCPU by thread (jdk.ThreadCPULoad, user + system, native time included; % of one core)\n");
        largest(threadCpu, top).forEach(e -> out.append(String.format("  %5.1f%%  %s%n", 100 * e.getValue() / seconds,
                e.getKey())));
        section(out, "By thread", threads, samples, top);
        section(out, "By area (top-most recognised frame)", areas, samples, top);
        section(out, "Top frames (self)", self, samples, top);
        inclusive.keySet().removeIf(method -> !method.startsWith("dev.switchboard."));
        section(out, "Switchboard methods on the stack (inclusive)", inclusive, samples, top * 2);
        section(out, "First Switchboard frame on the stack", ownCode, samples, top);
        out.append(String.format("%nJIT in the window (jdk.Compilation, jdk.Deoptimization): %,d compilations,"
                + " %,.0f ms of compiler time; %,d deoptimizations%n", compilations, allCompileMillis,
                deoptimizations.values().stream().mapToLong(Long::longValue).sum()));
        out.append("Longest compilations (ms)\n");
        largest(compileMillis, top).forEach(e -> out.append(String.format("  %7.1f  %s%n", e.getValue(), e.getKey())));
        out.append("Deoptimizations by reason and method\n");
        largest(deoptimizations, top).forEach(e -> out.append(String.format("  %7d  %s%n", e.getValue(), e.getKey())));
        out.append(String.format("%nAllocation in the window (jdk.ObjectAllocationSample, by weight): %,.0f MB,"
                + " %,.1f KB per request%n", allocated / 1e6, requests == 0 ? 0 : allocated / 1e3 / requests));
        share(out, "By class", allocatedByClass, allocated, top);
        share(out, "By first Switchboard frame on the stack", allocatedByOwnCode, allocated, top);
        return out.toString();
    }

    private static String firstOwnFrame(RecordedStackTrace stack) {
        if (stack != null) {
            for (RecordedFrame frame : stack.getFrames()) {
                String method = name(frame.getMethod());
                if (method.startsWith("dev.switchboard.")) {
                    return method;
                }
            }
        }
        return "(no Switchboard frame: framework, I/O, GC helpers)";
    }

    private static void section(StringBuilder out, String title, Map<String, Long> counts, long total, int top) {
        out.append('\n');
        share(out, title, counts, total, top);
    }

    private static void share(StringBuilder out, String title, Map<String, Long> counts, long total, int top) {
        out.append(title).append('\n');
        largest(counts, top).forEach(e -> out.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / total,
                e.getKey())));
    }

    private static <V extends Comparable<V>> Stream<Map.Entry<String, V>> largest(Map<String, V> values, int top) {
        return values.entrySet().stream().sorted(Map.Entry.<String, V> comparingByValue(Comparator.reverseOrder()))
                .limit(top);
    }

    private static String name(RecordedMethod method) {
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }

    /** Thread names without their number, so a pool's threads add up. */
    private static String threadGroup(String name) {
        return name == null ? "?" : name.replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-N-");
    }

    /** A coarse label for what a sample was doing, from the top-most frame we recognise. */
    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
            String label = areaOf(type);
            if (label != null) {
                return label;
            }
        }
        return "other";
    }

    private static String areaOf(String type) {
        if (type.startsWith("org.postgresql.")) {
            return "JDBC driver (org.postgresql)";
        }
        if (type.startsWith("com.fasterxml.jackson.")) {
            return "Jackson (JSON)";
        }
        if (type.startsWith("io.micrometer.")) {
            return "Micrometer";
        }
        if (type.startsWith("io.agroal.") || type.startsWith("org.hibernate.") || type.startsWith("io.quarkus.narayana")
                || type.startsWith("com.arjuna.")) {
            return "Agroal / Hibernate / transactions";
        }
        if (type.startsWith("io.vertx.core.http.impl.ws") || type.contains("WebSocket")) {
            return "WebSocket (Vert.x)";
        }
        if (type.startsWith("io.netty.")) {
            return "Netty (network I/O, HTTP codec)";
        }
        if (type.startsWith("io.vertx.")) {
            return "Vert.x";
        }
        if (type.startsWith("io.smallrye.mutiny.")) {
            return "Mutiny";
        }
        if (type.startsWith("io.quarkus.")) {
            return "Quarkus";
        }
        if (type.startsWith("dev.switchboard.")) {
            return "Switchboard code (own frames)";
        }
        if (type.startsWith("java.util.concurrent.")) {
            return "java.util.concurrent (queues, futures, locks)";
        }
        if (type.startsWith("java.security.") || type.startsWith("sun.security.")) {
            return "java.security (SecureRandom, digests)";
        }
        if (type.startsWith("java.time.") || type.startsWith("java.text.")) {
            return "java.time / formatting";
        }
        return null;
    }
}
