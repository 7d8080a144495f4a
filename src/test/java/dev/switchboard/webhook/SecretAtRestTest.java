package dev.switchboard.webhook;

import static dev.switchboard.support.Tokens.as;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class SecretAtRestTest {

    @Inject
    DataSource dataSource;

    @Test
    void theRowHoldsOnlyCiphertextOfCurrentAndPreviousSecrets() throws SQLException {
        String id = as("olivia").contentType(ContentType.JSON).body("{\"name\":\"Vault\"}").post("/api/v1/webhooks")
                .then().statusCode(201).extract().path("id");
        String first = as("olivia").get("/api/v1/webhooks/" + id).then().extract().path("secret");
        String second = as("olivia").post("/api/v1/webhooks/" + id + "/rotate-secret").then().extract().path("secret");

        String row = wholeRow(id);
        assertFalse(row.contains(first), "first secret in plain text");
        assertFalse(row.contains(second), "current secret in plain text");
        assertTrue(row.contains("v1:"), "ciphertext stored");
    }

    private String wholeRow(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT webhook::text FROM webhook WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }
}
