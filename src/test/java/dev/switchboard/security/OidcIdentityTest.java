package dev.switchboard.security;

import static io.restassured.RestAssured.given;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Issue 12, item 2 (audience): a token the same provider issued to another client is refused; only tokens whose
 * {@code aud} names this app (its client ID by default, {@code quarkus.oidc.token.audience}) sign a developer in.
 */
@QuarkusTest
class OidcIdentityTest {

    @Test
    void aTokenIssuedToAnotherClientIsRefused() {
        String forOtherClient = OidcWiremockTestResource.generateJwtToken("aud-mallory", Set.of("user"), "aud-mallory",
                "Bearer", Set.of("some-other-client"));
        given().auth().oauth2(forOtherClient).get("/api/v1/webhooks").then().statusCode(401);
        given().auth().oauth2(forOtherClient).contentType("application/json").body("{\"name\":\"x\"}")
                .post("/api/v1/webhooks").then().statusCode(401);
    }

    @Test
    void aTokenIssuedToThisAppIsAccepted() {
        String forThisApp = OidcWiremockTestResource.generateJwtToken("aud-alice", Set.of("user"), "aud-alice",
                "Bearer", Set.of("https://server.example.com"));
        given().auth().oauth2(forThisApp).get("/api/v1/webhooks").then().statusCode(200);
    }
}
