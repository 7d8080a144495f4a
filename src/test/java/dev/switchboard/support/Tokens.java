package dev.switchboard.support;

import java.util.Set;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Real signed bearer tokens from the WireMock OIDC provider, one developer per name. The app knows a developer by the
 * token's issuer and subject, so each name gets a subject of its own (the provider's own helpers sign everyone as
 * subject 123456); {@code alice} keeps 123456, the subject of the provider's code-flow sign-in, so her bearer tokens
 * and her browser session are one developer.
 */
public final class Tokens {

    /** What the WireMock provider's code flow (and its getAccessToken) signs as the subject. */
    public static final String CODE_FLOW_SUBJECT = "123456";
    /** The audience of the provider's access tokens, which the test configuration accepts. */
    private static final Set<String> AUDIENCE = Set.of("https://server.example.com");

    private Tokens() {
    }

    /**
     * JSON by default, as API clients send it: without a content type RestAssured posts an empty form, which the
     * portal's CSRF check refuses.
     */
    public static RequestSpecification as(String developer) {
        return RestAssured.given().contentType(ContentType.JSON).auth().oauth2(bearer(developer));
    }

    public static RequestSpecification asAdmin(String admin) {
        return RestAssured.given().contentType(ContentType.JSON).auth().oauth2(bearer(admin, "user", "admin"));
    }

    /** An access token for {@code developer} (subject: see {@link #subjectOf}) with the given roles, "user" by default. */
    public static String bearer(String developer, String... roles) {
        return token(developer, subjectOf(developer), roles.length == 0 ? Set.of("user") : Set.of(roles));
    }

    /** An access token with the username {@code name} and the subject {@code subject}, as a provider would sign it. */
    public static String token(String name, String subject, Set<String> roles) {
        return OidcWiremockTestResource.generateJwtToken(name, roles, subject, "Bearer", AUDIENCE);
    }

    public static String subjectOf(String developer) {
        return "alice".equals(developer) ? CODE_FLOW_SUBJECT : "sub-" + developer;
    }
}
