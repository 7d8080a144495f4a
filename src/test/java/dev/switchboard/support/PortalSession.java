package dev.switchboard.support;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A browser's session at the HTTP level: signs in through the OIDC code flow (the WireMock provider's login always
 * answers for {@code alice}, as in {@link Browser#signIn()}) and keeps the cookies a browser would, the session
 * cookie included. Unlike {@link PortalForms} (a bearer token), its requests are authenticated by the cookie, so the
 * CSRF defences apply to them.
 */
public final class PortalSession {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private final Map<String, String> cookies;
    public final String csrfToken;
    /** The Set-Cookie lines of the sign-in callback, which sets the session cookie. */
    public final List<String> sessionSetCookies;

    private PortalSession(Map<String, String> cookies, String csrfToken, List<String> sessionSetCookies) {
        this.cookies = cookies;
        this.csrfToken = csrfToken;
        this.sessionSetCookies = sessionSetCookies;
    }

    /** Signs in as {@code alice}: the one user of the provider's code flow. */
    public static PortalSession signInAsAlice() {
        return signInAsAlice(Map.of());
    }

    /** Signs in with {@code headers} on every request to the app (e.g. a TLS proxy's X-Forwarded-Proto). */
    public static PortalSession signInAsAlice(Map<String, String> headers) {
        Map<String, String> cookies = new HashMap<>();
        Response login = given().headers(headers).redirects().follow(false).get("/login");
        cookies.putAll(login.getCookies());
        URI provider = URI.create(login.then().statusCode(302).extract().header("Location"));
        // The provider's login form posts to /login with the state and redirect URI; it answers with the code.
        Map<String, String> query = query(provider.getRawQuery());
        Response code = given().redirects().follow(false).urlEncodingEnabled(false)
                .get(provider.getScheme() + "://" + provider.getAuthority() + "/login?state=" + query.get("state")
                        + "&redirect_uri=" + query.get("redirect_uri"));
        URI callback = URI.create(code.then().statusCode(302).extract().header("Location"));
        Response back = given().headers(headers).redirects().follow(false).cookies(cookies).urlEncodingEnabled(false)
                .get(callback.getRawPath() + "?" + callback.getRawQuery());
        back.then().statusCode(302);
        cookies.putAll(back.getCookies());
        cookies.entrySet().removeIf(e -> e.getValue() == null || e.getValue().isEmpty());
        List<String> setCookies = back.getHeaders().getValues("Set-Cookie");
        Response page = given().headers(headers).redirects().follow(false).cookies(cookies).get("/webhooks");
        page.then().statusCode(200);
        cookies.putAll(page.getCookies());
        Matcher matcher = TOKEN.matcher(page.asString());
        if (!matcher.find()) {
            throw new AssertionError("No CSRF field on /webhooks");
        }
        return new PortalSession(cookies, matcher.group(1), setCookies);
    }

    /** A request with the session's cookies and nothing else: no token, no Origin. */
    public RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    /** What the portal's own forms send: the token field, from this site. */
    public RequestSpecification form() {
        return request().header("Sec-Fetch-Site", "same-origin").formParam("csrf-token", csrfToken);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return values;
    }
}
