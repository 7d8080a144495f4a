package dev.switchboard.homey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/** A subscribe the database cannot save is answered with an error frame, and the same socket subscribes afterwards. */
@QuarkusTest
class UnsavedRegistrationTest {

    @Inject
    DataSource dataSource;

    @Test
    void aSubscribeThatCannotBeSavedIsAnsweredUnavailable() throws SQLException {
        Webhooks webhook = Webhooks.create("unsaved-registration");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            execute("ALTER TABLE registration RENAME TO registration_away");
            try {
                homey.send(AtLeastOnceDeliveryTest.frame("{\"type\":\"subscribe\",\"webhookId\":\"" + webhook.id
                        + "\",\"secret\":\"" + webhook.secret + "\",\"data\":{}}"));
                JsonNode answer = homey.next();
                assertEquals("error", answer.path("type").asText(), answer.toString());
                assertEquals("unavailable", answer.path("code").asText(), answer.toString());
                assertEquals(webhook.id, answer.path("webhookId").asText(), answer.toString());
            } finally {
                execute("ALTER TABLE registration_away RENAME TO registration");
            }
            homey.subscribe(webhook.id, webhook.secret, "{}");
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
