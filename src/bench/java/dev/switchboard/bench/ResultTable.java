package dev.switchboard.bench;

import java.util.List;

/** The benchmark's one table (Markdown), followed by each scenario's notes. */
final class ResultTable {

    private static final String HEAD = "| scenario | ingest req/s | × baseline | non-200 | delivered msg/s | acks/s"
            + " | ingest p50 / p99 / p99.9 ms | sender→Homey p50 / p99 / p99.9 ms | loss | server CPU app + pg"
            + " | CPU µs/req | × baseline | peak RSS app / pg |\n"
            + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";

    private ResultTable() {
    }

    static String render(List<SwitchboardBench.Result> results, SwitchboardBench.Result baseline) {
        StringBuilder out = new StringBuilder(HEAD);
        for (SwitchboardBench.Result r : results) {
            out.append(row(r, baseline)).append('\n');
        }
        out.append('\n');
        for (SwitchboardBench.Result r : results) {
            out.append("**").append(r.scenario().name()).append("**: ").append(r.scenario().description()).append('\n');
            for (String note : r.notes()) {
                out.append("- ").append(note).append('\n');
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String row(SwitchboardBench.Result r, SwitchboardBench.Result baseline) {
        Wrk.Result load = r.load();
        boolean app = !r.scenario().isBaseline();
        String name = r.scenario().name();
        if (r.notes().stream().anyMatch(n -> n.contains("JIT was NOT quiet"))) {
            name += " (JIT not quiet)";
        } else if (r.notes().stream().anyMatch(n -> n.contains("JIT was busy during the measured load"))) {
            name += " (JIT busy in the window)";
        }
        return String.join(" | ", "| " + name,
                String.format("%,.0f", load.requestsPerSecond()),
                baseline == null ? "-" : String.format("%.2f", load.requestsPerSecond()
                        / baseline.load().requestsPerSecond()),
                String.format("%,d", load.non2xx() + load.socketErrors()),
                app ? String.format("%,.0f", r.deliveredPerSecond()) : "-",
                app ? String.format("%,.0f", r.acksPerSecond()) : "-",
                ms(load.p50()) + " / " + ms(load.p99()) + " / " + ms(load.p999()),
                app && r.e2eCount() > 0 ? ms(r.e2eP50()) + " / " + ms(r.e2eP99()) + " / " + ms(r.e2eP999()) : "-",
                r.loss() == null ? "-" : String.format("%,d", r.loss().lost()),
                String.format("%.0f%% + %.0f%%", r.cpu().javaPercent(), r.cpu().childPercent()),
                String.format("%,.0f", cpuMicrosPerRequest(r)),
                baseline == null ? "-" : String.format("%.1f", cpuMicrosPerRequest(r) / cpuMicrosPerRequest(baseline)),
                SwitchboardBench.mb(r.javaPeakRss()) + " / " + SwitchboardBench.mb(r.childPeakPss())) + " |";
    }

    /**
     * Server CPU time (JVM and PostgreSQL) per request answered 200: unlike throughput, it barely depends on how much
     * CPU other work on the machine left the server, so it is the steadier figure on a busy machine.
     */
    static double cpuMicrosPerRequest(SwitchboardBench.Result r) {
        double seconds = r.cpu().javaSeconds() + r.cpu().childSeconds();
        return r.load().answered200() == 0 ? 0 : 1e6 * seconds / r.load().answered200();
    }

    private static String ms(long micros) {
        if (micros < 0) {
            return "-";
        }
        double ms = micros / 1000.0;
        return ms < 10 ? String.format("%.2f", ms) : String.format("%,.0f", ms);
    }
}
