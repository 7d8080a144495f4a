package dev.switchboard.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** When the request cannot be recorded, the sender hears 503 with Retry-After, never a 200 that may be lost. */
@QuarkusTest
class UnavailableDatabaseTest {

    @Inject
    DataSource dataSource;

    @Test
    void aRequestThatCannotBeRecordedIs503AndTheNextOneIsAcceptedAgain() throws SQLException {
        Webhooks webhook = Webhooks.create("unavailable");
        given().post(webhook.url()).then().statusCode(200);
        execute("ALTER TABLE delivery RENAME TO delivery_away");
        try {
            given().contentType("application/json").body("{\"lost\":false}").post(webhook.url())
                    .then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("code", equalTo("unavailable"));
        } finally {
            execute("ALTER TABLE delivery_away RENAME TO delivery");
        }
        given().post(webhook.url()).then().statusCode(200).body("status", equalTo("accepted"));
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
