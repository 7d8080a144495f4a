package dev.switchboard.support;

import java.util.Set;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Real signed bearer tokens from the WireMock OIDC provider, one developer per name. */
public final class Tokens {

    private Tokens() {
    }

    /**
     * JSON by default, as API clients send it: without a content type RestAssured posts an empty form, which the
     * portal's CSRF check refuses.
     */
    public static RequestSpecification as(String developer) {
        return RestAssured.given().contentType(ContentType.JSON)
                .auth().oauth2(OidcWiremockTestResource.getAccessToken(developer, Set.of("user")));
    }

    public static RequestSpecification asAdmin(String admin) {
        return RestAssured.given().contentType(ContentType.JSON)
                .auth().oauth2(OidcWiremockTestResource.getAccessToken(admin, Set.of("user", "admin")));
    }
}
