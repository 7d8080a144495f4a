package dev.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Issue 12, item 5: metrics and health are served on the management interface, its own port, which a deployment
 * keeps off the public ingress; the public port answers 404 for them.
 */
@QuarkusTest
class ManagementInterfaceTest {

    @Test
    void metricsAndHealthAreNotOnThePublicPort() {
        given().get("/q/metrics").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(404);
    }

    @TestHTTPResource(management = true)
    URL management;

    @Test
    void theManagementPortServesThem() {
        assertNotEquals(RestAssured.port, management.getPort());
        String base = "http://localhost:" + management.getPort();
        given().get(base + "/q/metrics").then().statusCode(200).body(containsString("switchboard_"));
        given().get(base + "/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get(base + "/q/health/live").then().statusCode(200);
    }
}
