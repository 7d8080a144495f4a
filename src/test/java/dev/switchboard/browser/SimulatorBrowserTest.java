package dev.switchboard.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.switchboard.support.Tokens.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.switchboard.support.Browser;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The simulator in Chromium: a developer registers a test Homey, sends their webhook a request from the page and
 * sees what their app would receive; offline, messages wait and then arrive in order.
 */
@QuarkusTest
class SimulatorBrowserTest {

    /** The browser signs in as "alice" (see {@link Browser#signIn}); webhooks made through the API for her show up. */
    static final String DEVELOPER = "alice";

    @BeforeAll
    static void waitLongerThanTheDefault() {
        // A cap on waiting for the page, not a timing assertion: slow machines get there too.
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    @Test
    void registerATestHomeySendAWebhookAndSeeWhatTheAppReceives() {
        try (Browser browser = Browser.desktop()) {
            Page page = browser.signIn().page;
            page.fill("#name", "Simulated bulbs");
            page.click("text=Create webhook");
            page.waitForSelector("[data-testid=webhook-id]");
            String webhookId = page.textContent("[data-testid=webhook-id]");
            page.fill("#keyPath", "body.device_id");
            page.waitForSelector("text=Valid key path");
            page.click("[data-testid=save-key-path]");
            page.waitForSelector("text=Key path saved");

            page.navigate(Browser.url("/webhooks/" + webhookId + "/simulator"));
            page.fill("#label", "Browser Homey");
            page.getByTestId("enroll-test-homey").click();
            assertThat(page.getByTestId("selected-test-homey")).isVisible();
            String homeyId = page.getByTestId("simulator-homey-id").textContent();
            assertThat(page.getByTestId("connection-state")).hasText("Online");
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "online");

            page.getByTestId("registration-data").fill("{\"$keys\": [\"abc\"");
            page.getByTestId("subscribe").click();
            assertThat(page.getByTestId("registration-data-error")).containsText("Not valid JSON");
            page.getByTestId("registration-data").fill("{\"$keys\":[\"abc\"]}");
            page.getByTestId("subscribe").click();
            assertThat(page.getByTestId("registration-data-error")).isHidden();
            assertThat(page.getByTestId("registration-state")).hasText("Registered for this webhook with the data above.");
            browser.screenshot("simulator-01-registered");

            page.getByTestId("test-method").selectOption("POST");
            page.getByTestId("test-headers").fill("Content-Type: application/json\nX-Device-Id: abc");
            page.getByTestId("test-query").fill("");
            page.getByTestId("test-body").fill("{\"device_id\":\"abc\"}");
            page.getByTestId("send-test").click();
            assertThat(page.getByTestId("send-status")).containsText("200");
            assertThat(page.getByTestId("send-response")).containsText("\"status\": \"accepted\"");
            String deliveryId = page.getByTestId("send-response").textContent()
                    .replaceAll("(?s).*\"deliveryId\": \"([0-9a-f]{24})\".*", "$1");

            Locator message = page.getByTestId("message");
            assertThat(message).hasCount(1);
            assertThat(message).hasAttribute("data-delivery-id", deliveryId);
            assertThat(message.getByTestId("message-args")).containsText("\"device_id\": \"abc\"");
            assertThat(message.getByTestId("message-args")).containsText("\"x-device-id\": \"abc\"");
            assertThat(message.getByTestId("message-args")).containsText("\"content-type\": \"application/json\"");
            assertThat(message.getByTestId("message-ack-state")).hasText("Acknowledged");
            assertThat(page.getByTestId("no-messages")).isHidden();
            page.getByTestId("socket-log").locator("summary").click();
            browser.screenshot("simulator-02-message-received");
            // The log shows the frames, but never the Homey's key or the webhook secret.
            String frames = page.getByTestId("socket-frames").textContent();
            String secret = as(DEVELOPER).get("/api/v1/webhooks/" + webhookId).then().extract().path("secret");
            assertTrue(frames.contains("\"homeyKey\":\"•••\"") && frames.contains("\"secret\":\"•••\""), frames);
            assertFalse(frames.contains(secret), frames);

            // The ack reached the server: after a reconnect only the next message arrives, not the first again.
            page.getByTestId("go-offline").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "offline");
            page.getByTestId("go-online").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "online");
            page.getByTestId("test-body").fill("{\"device_id\":\"abc\",\"n\":2}");
            page.getByTestId("send-test").click();
            assertThat(message).hasCount(2);
            assertThat(message.nth(1).getByTestId("message-args")).containsText("\"n\": 2");
            assertThat(message.nth(0).getByTestId("message-received-count")).isHidden();

            // The key-path tester, through htmx: the value found and the registration it reaches, this simulator.
            page.getByTestId("test-key-path").fill("body.device_id");
            page.getByTestId("run-key-path-test").click();
            assertThat(page.getByTestId("key-path-value")).hasText("abc");
            assertThat(page.getByTestId("key-path-homey")).hasText(homeyId);
            assertThat(page.getByTestId("key-path-homeys")).containsText("this simulator");
            assertThat(page.getByTestId("send-test")).isVisible();
            page.getByTestId("test-key-path").fill("body[");
            page.getByTestId("run-key-path-test").click();
            assertThat(page.getByTestId("test-key-path-error")).containsText("position");
            browser.screenshot("simulator-03-key-path-tested");

            page.navigate(Browser.url("/webhooks/" + webhookId + "/registrations"));
            Locator row = page.getByTestId("registration");
            assertThat(row).hasCount(1);
            assertThat(row).hasAttribute("data-homey-id", homeyId);
            assertThat(row.getByTestId("test-homey-badge")).isVisible();
            assertThat(row.getByTestId("registration-data")).hasText("{\"$keys\":[\"abc\"]}");
            browser.screenshot("simulator-04-registrations");
            assertEquals(List.of(), browser.foreignRequests());
        }
    }

    @Test
    void offlineMessagesWaitAndArriveInOrder() {
        Webhooks webhook = Webhooks.create(DEVELOPER).keyPath("body.device_id");
        try (Browser browser = Browser.desktop()) {
            Page page = browser.signIn().page;
            page.navigate(Browser.url("/webhooks/" + webhook.id + "/simulator"));
            page.getByTestId("enroll-test-homey").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "online");
            assertThat(page.getByTestId("go-online")).isHidden();
            page.getByTestId("registration-data").fill("{\"$keys\":[\"abc\"]}");
            page.getByTestId("subscribe").click();
            assertThat(page.getByTestId("registration-state")).hasText("Registered for this webhook with the data above.");

            page.getByTestId("go-offline").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "offline");
            assertThat(page.getByTestId("connection-state")).hasText("Offline");
            assertThat(page.getByTestId("go-online")).hasText("Come back online");
            assertThat(page.getByTestId("go-offline")).isHidden();
            assertThat(page.getByTestId("subscribe")).isDisabled();

            String first = given().contentType("application/json").body("{\"device_id\":\"abc\",\"n\":1}")
                    .post(webhook.url()).then().statusCode(200).extract().path("deliveryId");
            String second = given().contentType("application/json").body("{\"device_id\":\"abc\",\"n\":2}")
                    .post(webhook.url()).then().statusCode(200).extract().path("deliveryId");
            assertThat(page.getByTestId("message")).hasCount(0);
            browser.screenshot("simulator-05-offline");

            page.getByTestId("go-online").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "online");
            Locator messages = page.getByTestId("message");
            assertThat(messages).hasCount(2);
            assertThat(messages.nth(0)).hasAttribute("data-delivery-id", first);
            assertThat(messages.nth(1)).hasAttribute("data-delivery-id", second);
            assertThat(messages.nth(0).getByTestId("message-args")).containsText("\"n\": 1");
            assertThat(messages.nth(1).getByTestId("message-args")).containsText("\"n\": 2");
            assertThat(messages.nth(0).getByTestId("message-ack-state")).hasText("Acknowledged");
            assertThat(messages.nth(1).getByTestId("message-ack-state")).hasText("Acknowledged");
            browser.screenshot("simulator-06-back-online");
            assertEquals(List.of(), browser.foreignRequests());
        }
    }

    @Test
    void withoutAutoAckAMessageWaitsForTheButton() {
        Webhooks webhook = Webhooks.create(DEVELOPER);
        try (Browser browser = Browser.desktop()) {
            Page page = browser.signIn().page;
            page.navigate(Browser.url("/webhooks/" + webhook.id + "/simulator"));
            page.getByTestId("enroll-test-homey").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "online");
            page.getByTestId("subscribe").click();
            assertThat(page.getByTestId("registration-state")).hasText("Registered for this webhook with the data above.");
            page.getByTestId("auto-ack").uncheck();
            String homeyId = page.getByTestId("simulator-homey-id").textContent();

            given().post(webhook.url() + "?homey=" + homeyId).then().statusCode(200);
            Locator message = page.getByTestId("message");
            assertThat(message.getByTestId("message-ack-state")).hasText("Not acknowledged");
            // Not acknowledged, so the server sends it again (the test ack timeout is 2 s).
            assertThat(message.getByTestId("message-received-count")).containsText("received 2×");
            message.getByTestId("ack").click();
            assertThat(message.getByTestId("message-ack-state")).hasText("Acknowledged");
            assertThat(message.getByTestId("ack")).isHidden();
        }
    }

    @Test
    void pagesFitAPhoneScreen() {
        Webhooks webhook = Webhooks.create(DEVELOPER).keyPath("body.device_id");
        try (Browser browser = Browser.phone()) {
            Page page = browser.signIn().page;
            page.navigate(Browser.url("/webhooks/" + webhook.id + "/simulator"));
            assertFits(page, "simulator, no test Homey");
            page.getByTestId("enroll-test-homey").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "online");
            page.getByTestId("registration-data").fill("{\"$keys\":[\"abc\"]}");
            page.getByTestId("subscribe").click();
            assertThat(page.getByTestId("registration-state")).hasText("Registered for this webhook with the data above.");
            page.getByTestId("test-body").fill("{\"device_id\":\"abc\",\"long\":\"" + "x".repeat(300) + "\"}");
            page.getByTestId("send-test").click();
            assertThat(page.getByTestId("message")).hasCount(1);
            page.getByTestId("message").locator("details summary").click();
            page.getByTestId("curl-details").locator("summary").click();
            page.getByTestId("run-key-path-test").click();
            assertThat(page.getByTestId("key-path-value")).hasText("abc");
            page.getByTestId("key-path-result").locator("details summary").click();
            assertFits(page, "simulator with a message and a key-path result");
            browser.screenshot("simulator-07-phone");

            page.navigate(Browser.url("/webhooks/" + webhook.id + "/registrations"));
            assertThat(page.getByTestId("registration")).hasCount(1);
            assertFits(page, "registrations");
            browser.screenshot("simulator-08-phone-registrations");
            page.getByTestId("remove-registration").click();
            assertThat(page.getByTestId("confirm-remove")).isVisible();
            assertFits(page, "confirm removal");
            page.getByTestId("confirm-remove").check();
            page.getByTestId("confirm-remove-button").click();
            assertThat(page.getByTestId("notice")).containsText("Registration removed");
            assertThat(page.getByTestId("no-registrations")).isVisible();
        }
    }

    private static void assertFits(Page page, String what) {
        Object width = page.evaluate("() => document.documentElement.scrollWidth");
        Object main = page.evaluate("() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; }");
        assertTrue(((Number) width).intValue() <= 375, () -> what + ": page is " + width + " px wide; too wide: "
                + page.evaluate("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376)"
                        + ".slice(0, 8).map(e => e.tagName + '.' + e.className + '[' + (e.dataset.testid || '') + '] '"
                        + " + Math.round(e.getBoundingClientRect().right)).join(', ')"));
        assertEquals(0, ((Number) main).intValue(), what + ": main content overflows");
    }
}
