package dev.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.switchboard.support.Eventually;
import dev.switchboard.support.HomeyClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Enrollment ({@code POST /api/v1/homeys}) limits: 2 per minute here, per IPv4 address or IPv6 /64; a flood of
 * distinct addresses does not reset the limits already counted; Homeys that never connected are deleted after 30
 * days. The client address comes from a {@code Forwarded} header, as behind a reverse proxy.
 */
@QuarkusTest
@TestProfile(EnrollmentLimitsTest.Limits.class)
// The flood fills the table of tracked clients (50 here), after which new clients wait: it runs last.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnrollmentLimitsTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.homeys.enrollments-per-minute", "2",
                    "switchboard.homeys.enrollment-clients-tracked", "50",
                    "switchboard.homeys.purge-interval", "1s",
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-forwarded", "true");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    @Order(1)
    void ipv6AddressesAreLimitedPerSlash64() {
        assertEquals(201, enrollFrom("\"[2001:db8:1:2::1]\"").statusCode());
        assertEquals(201, enrollFrom("\"[2001:db8:1:2:aaaa:bbbb:cccc:7]\"").statusCode());
        Response third = enrollFrom("\"[2001:db8:1:2:ffff:ffff:ffff:ffff]\"");
        assertEquals(429, third.statusCode());
        assertEquals("rate_limited", third.jsonPath().getString("code"));
        assertTrue(third.header("Retry-After") != null);
        assertEquals(201, enrollFrom("\"[2001:db8:1:3::1]\"").statusCode(), "the next /64 is another client");
    }

    @Test
    @Order(3)
    void aFloodOfAddressesDoesNotResetTheLimits() {
        assertEquals(201, enrollFrom("198.51.100.7").statusCode());
        assertEquals(201, enrollFrom("198.51.100.7").statusCode());
        assertEquals(429, enrollFrom("198.51.100.7").statusCode());
        for (int i = 0; i < 120; i++) {
            enrollFrom("203.0.113." + i);
        }
        assertEquals(429, enrollFrom("198.51.100.7").statusCode(), "the limit was forgotten");
    }

    @Test
    @Order(2)
    void homeysThatNeverConnectedAreDeletedAfter30Days() throws Exception {
        JsonPath idle = enrollFrom("192.0.2.10").then().statusCode(201).extract().jsonPath();
        JsonPath used = enrollFrom("192.0.2.11").then().statusCode(201).extract().jsonPath();
        JsonPath fresh = enrollFrom("192.0.2.12").then().statusCode(201).extract().jsonPath();
        try (HomeyClient homey = HomeyClient.withCredentials(used.getString("homeyId"), used.getString("homeyKey"))
                .connect()) {
            // said hello once
        }
        backDate(idle.getString("homeyId"), 31);
        backDate(used.getString("homeyId"), 31);

        Eventually.until("the idle Homey is deleted", () -> !exists(idle.getString("homeyId")));
        assertTrue(exists(used.getString("homeyId")), "a Homey that connected once is kept");
        assertTrue(exists(fresh.getString("homeyId")), "a Homey enrolled recently is kept");
        try (HomeyClient gone = HomeyClient.withCredentials(idle.getString("homeyId"), idle.getString("homeyKey"))
                .open()) {
            gone.send(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("type", "hello")
                    .put("homeyId", idle.getString("homeyId")).put("homeyKey", idle.getString("homeyKey")));
            assertEquals(4401, gone.awaitClose(Duration.ofSeconds(10)));
        }
    }

    private static Response enrollFrom(String forwardedFor) {
        return given().header("Forwarded", "for=" + forwardedFor).contentType("application/json")
                .post("/api/v1/homeys");
    }

    private void backDate(String homeyId, int days) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE homey SET created_at = now() - make_interval(days => ?) WHERE id = ?")) {
            s.setInt(1, days);
            s.setString(2, homeyId);
            assertEquals(1, s.executeUpdate());
        }
    }

    private boolean exists(String homeyId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT 1 FROM homey WHERE id = ?")) {
            s.setString(1, homeyId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
