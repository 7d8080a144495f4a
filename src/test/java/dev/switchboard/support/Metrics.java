package dev.switchboard.support;

import static io.restassured.RestAssured.given;

import java.net.URL;

/** The app's Prometheus metrics, read from the management interface the way Prometheus scrapes them. */
public final class Metrics {

    private Metrics() {
    }

    /** The sum of every sample whose line starts with {@code prefix} (a name, optionally with the start of its labels). */
    public static double sum(URL management, String prefix) {
        String metrics = given().get("http://localhost:" + management.getPort() + "/q/metrics").then().statusCode(200)
                .extract().asString();
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
