package dev.switchboard.security;

import static io.restassured.RestAssured.given;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Issue 12, item 2. Audience: a token the same provider issued to another client is refused; only tokens whose
 * {@code aud} names this app (its client ID by default, {@code quarkus.oidc.token.audience}) sign a developer in.
 * Identity: a developer is the token's issuer and subject; the username ({@code upn}, {@code preferred_username}),
 * which a provider may let people change or hand to someone else, decides nothing.
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

    @Test
    void twoPeopleWithTheSameUsernameButDifferentSubjectsSeeOnlyTheirOwnWebhooks() {
        String first = token("same-name", "subject-of-the-first");
        String second = token("same-name", "subject-of-the-second");
        String firsts = given().auth().oauth2(first).contentType("application/json").body("{\"name\":\"First's\"}")
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");

        given().auth().oauth2(second).get("/api/v1/webhooks").then().statusCode(200)
                .body("id", not(hasItem(firsts)));
        given().auth().oauth2(second).get("/api/v1/webhooks/" + firsts).then().statusCode(404)
                .body("code", equalTo("webhook_not_found"));
        given().auth().oauth2(second).get("/api/v1/webhooks/" + firsts + "/env.json").then().statusCode(404);
        given().auth().oauth2(second).contentType("application/json").body("{\"name\":\"Taken\"}")
                .patch("/api/v1/webhooks/" + firsts).then().statusCode(404);
        given().auth().oauth2(second).delete("/api/v1/webhooks/" + firsts).then().statusCode(404);

        // The first still has it, unchanged; and a later token of theirs (another username) is still them.
        given().auth().oauth2(first).get("/api/v1/webhooks/" + firsts).then().statusCode(200)
                .body("name", equalTo("First's"));
        given().auth().oauth2(token("renamed-first", "subject-of-the-first")).get("/api/v1/webhooks").then()
                .statusCode(200).body("id", hasItem(firsts));
    }

    /** The username in both claims a provider may use for it ({@code upn} wins over {@code preferred_username}). */
    private static String token(String username, String subject) {
        return OidcWiremockTestResource.generateJwtToken(username, Set.of("user"), subject, "Bearer",
                Set.of("https://server.example.com"), Map.of("upn", username));
    }
}
