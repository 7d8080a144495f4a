package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The app's own Prometheus metrics ({@code /q/metrics} on the management port), read before and after the load: how big the group commits
 * were and how long they took explain most of the ingest numbers.
 */
final class AppMetrics {

    private final Map<String, Double> values;

    private AppMetrics(Map<String, Double> values) {
        this.values = values;
    }

    /** Scrapes the app once; keeps a copy of the text in {@code saveTo} when given. */
    static AppMetrics scrape(int port, Path saveTo) throws IOException, InterruptedException {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/q/metrics")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        if (saveTo != null) {
            Files.writeString(saveTo, text);
        }
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            try {
                values.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
            } catch (NumberFormatException e) {
                // NaN and friends
            }
        }
        return new AppMetrics(values);
    }

    /** A metric summed over its labels; 0 when absent. */
    double get(String name) {
        return values.getOrDefault(name, 0.0);
    }

    /** Group commit over the window from {@code before} to {@code after}, as a sentence for the notes. */
    static String groupCommit(AppMetrics before, AppMetrics after) {
        double batches = after.get("switchboard_delivery_record_batch_size_count")
                - before.get("switchboard_delivery_record_batch_size_count");
        double records = after.get("switchboard_delivery_record_batch_size_sum")
                - before.get("switchboard_delivery_record_batch_size_sum");
        double commits = after.get("switchboard_delivery_record_commit_seconds_count")
                - before.get("switchboard_delivery_record_commit_seconds_count");
        double commitSeconds = after.get("switchboard_delivery_record_commit_seconds_sum")
                - before.get("switchboard_delivery_record_commit_seconds_sum");
        return String.format("group commit: %,.0f batches, %.1f requests per batch, %.2f ms per commit (mean);"
                + " rejected %,.0f, outcome updates lost %,.0f, resent %,.0f", batches,
                batches == 0 ? 0 : records / batches,
                commits == 0 ? 0 : 1000 * commitSeconds / commits,
                after.get("switchboard_delivery_record_rejected_total")
                        - before.get("switchboard_delivery_record_rejected_total"),
                after.get("switchboard_delivery_outcomes_lost_total")
                        - before.get("switchboard_delivery_outcomes_lost_total"),
                after.get("switchboard_deliveries_resent_total") - before.get("switchboard_deliveries_resent_total"));
    }
}
