package dev.switchboard.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** An exception nobody expected answers the one error contract, and says nothing about what failed inside. */
@QuarkusTest
class UnexpectedFailureTest {

    @Test
    void anUnexpectedExceptionAnswersAGenericProblemThatLeaksNothingInternal() {
        given().get("/api/v1/test-only/unexpected-failure").then()
                .statusCode(500)
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(500))
                .body("code", equalTo("internal_error"))
                .body("detail", equalTo("Something went wrong"))
                .body(not(containsString(UnexpectedFailureResource.INTERNAL_DETAIL)))
                .body(not(containsString("IllegalStateException")))
                .body(not(containsString("dev.switchboard")))
                .body(not(containsString("\tat ")));
    }
}
