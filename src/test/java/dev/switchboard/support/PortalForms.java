package dev.switchboard.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Posts portal forms with the CSRF cookie and the token from the page's hidden field, authenticated by a bearer token
 * (any developer name). Bearer calls are exempt from the CSRF check, so tests of that check use {@link PortalSession}.
 */
public final class PortalForms {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private final String bearer;
    private final String csrfCookie;
    private final String csrfToken;

    private PortalForms(String bearer, String csrfCookie, String csrfToken) {
        this.bearer = bearer;
        this.csrfCookie = csrfCookie;
        this.csrfToken = csrfToken;
    }

    public static PortalForms signIn(String developer) {
        String bearer = Tokens.bearer(developer);
        Response page = given().auth().oauth2(bearer).get("/webhooks");
        page.then().statusCode(200);
        Matcher matcher = TOKEN.matcher(page.asString());
        if (!matcher.find()) {
            throw new AssertionError("No CSRF field on /webhooks");
        }
        return new PortalForms(bearer, page.getCookie("csrf-token"), matcher.group(1));
    }

    public RequestSpecification page() {
        return given().auth().oauth2(bearer).redirects().follow(false);
    }

    public RequestSpecification form() {
        return page().cookie("csrf-token", csrfCookie).formParam("csrf-token", csrfToken);
    }
}
