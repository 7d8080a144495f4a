package dev.switchboard.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.PortalForms;
import dev.switchboard.support.PortalSession;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Issue 12, item 4: every portal page says what a browser may do with it (CSP without inline script, no framing,
 * no sniffing, no full referrer), HSTS and Secure cookies once served over HTTPS through a trusted proxy.
 * {@code EveryPageBrowserTest} loads each page in Chromium with the policy on and fails on any violation.
 */
@QuarkusTest
class SecurityHeadersTest {

    @Test
    void everyPortalPageCarriesTheHeaders() {
        Webhooks webhook = Webhooks.create("headers");
        PortalForms owner = PortalForms.signIn("headers");
        for (String path : new String[] {"/webhooks", "/webhooks/" + webhook.id, "/webhooks/" + webhook.id + "/deliveries",
            "/webhooks/" + webhook.id + "/registrations", "/webhooks/" + webhook.id + "/simulator", "/docs/apps"}) {
            assertHeaders(owner.page().get(path), 200);
        }
        assertHeaders(given().get("/"), 200);
        assertHeaders(owner.page().get("/webhooks/000000000000000000000000"), 404);
        assertHeaders(given().get("/assets/portal.js"), 200);
    }

    @Test
    void overHttpsThroughATrustedProxyHstsAndSecureCookies() {
        PortalForms owner = PortalForms.signIn("headers-tls");
        Response https = owner.page().header("X-Forwarded-Proto", "https").get("/webhooks");
        https.then().statusCode(200).header("Strict-Transport-Security", containsString("max-age="));
        https.then().header("Set-Cookie", allOf(containsString("csrf-token="), containsString("Secure"),
                containsStringIgnoringCase("HttpOnly"), containsString("SameSite=Strict")));
        given().header("X-Forwarded-Proto", "https").get("/").then().statusCode(200)
                .header("Strict-Transport-Security", containsString("max-age="));
        given().header("X-Forwarded-Proto", "https").redirects().follow(false).get("/login").then().statusCode(302)
                .header("Location", containsString("redirect_uri=https"));

        Response plain = owner.page().get("/webhooks");
        plain.then().statusCode(200).header("Strict-Transport-Security", nullValue())
                .header("Set-Cookie", allOf(containsString("csrf-token="), not(containsString("Secure"))));
    }

    @Test
    void theSessionCookieIsHttpOnlyLaxAndSecureBehindATlsProxy() {
        String plain = session(PortalSession.signInAsAlice().sessionSetCookies);
        assertTrue(plain.matches("(?is).*HttpOnly.*") && plain.matches("(?is).*SameSite=(Lax|Strict).*"), plain);
        String tls = session(PortalSession.signInAsAlice(Map.of("X-Forwarded-Proto", "https")).sessionSetCookies);
        assertTrue(tls.matches("(?is).*HttpOnly.*") && tls.matches("(?is).*;\\s*Secure.*") && tls.matches("(?is).*SameSite=(Lax|Strict).*"),
                tls);
    }

    private static String session(List<String> setCookies) {
        return setCookies.stream().filter(c -> c.startsWith("q_session")).findFirst()
                .orElseThrow(() -> new AssertionError("No session cookie in " + setCookies));
    }

    private static void assertHeaders(Response response, int status) {
        response.then().statusCode(status)
                .header("Content-Security-Policy", allOf(containsString("default-src 'self'"),
                        containsString("script-src 'self'"), not(containsString("unsafe-inline")),
                        containsString("frame-ancestors 'none'"), containsString("object-src 'none'")))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("same-origin"))
                .header("X-Frame-Options", equalTo("DENY"));
    }
}
