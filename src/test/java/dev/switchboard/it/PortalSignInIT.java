package dev.switchboard.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The portal's front door in the packaged app: the Qute template, the static assets and the webjars are in it, and
 * Sign in hands the browser to the identity provider.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedApp.class)
class PortalSignInIT {

    @Test
    void landingPageOffersSignIn() {
        given().get("/").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<title>"))
                .body(containsString("href=\"/login\""))
                .body(containsString("/assets/portal.css"));
    }

    @Test
    void stylesAndScriptsAreServedFromTheApp() {
        given().get("/assets/portal.css").then().statusCode(200).contentType(containsString("text/css"));
        given().get("/assets/portal.js").then().statusCode(200);
        given().get("/webjars/picocss__pico/css/pico.min.css").then().statusCode(200);
        given().get("/webjars/htmx.org/dist/htmx.min.js").then().statusCode(200);
    }

    @Test
    void signInRedirectsToTheIdentityProvider() {
        given().redirects().follow(false).get("/login").then().statusCode(302)
                .header("Location", containsString("/auth/realms/quarkus"))
                .header("Location", containsString("client_id=quarkus-web-app"))
                .header("Location", containsString("response_type=code"));
    }

    @Test
    void apiWithoutValidTokenIsClosed() {
        // Without any credentials the hybrid tenant sends a browser to sign in; a bad bearer token is refused.
        given().redirects().follow(false).get("/api/v1/webhooks").then().statusCode(302);
        given().auth().oauth2("not-a-token").get("/api/v1/webhooks").then().statusCode(401);
    }

    @Test
    void healthOnTheManagementPortAndOpenApiAnswer() {
        given().get("http://localhost:" + PackagedApp.managementPort() + "/q/health/ready").then().statusCode(200)
                .body(containsString("UP"));
        given().get("/q/health/ready").then().statusCode(404);
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(startsWith("{")).body(containsString("/api/v1/webhooks"));
    }
}
