package dev.switchboard.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import dev.switchboard.support.Browser;
import dev.switchboard.support.Layout;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The simulator in Chromium, beyond the first session ({@link FirstWebhookBrowserTest}): offline, messages wait and
 * then arrive in order while the open delivery log follows them; without automatic acknowledgement a message comes
 * again until it is acknowledged.
 */
@QuarkusTest
class SimulatorBrowserTest {

    /** The browser signs in as "alice" (see {@link Browser#signIn}); webhooks made through the API for her show up. */
    static final String DEVELOPER = "alice";
    static final String LONG_NOTE = "x".repeat(300);

    @Test
    void offlineMessagesWaitAndArriveInOrderWhileTheLogShowsThemPendingThenAcked() {
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
            Page log = browser.windowWithPausedTimers();
            log.navigate(Browser.url("/webhooks/" + webhook.id + "/deliveries"));
            assertThat(log.getByTestId("live-status")).hasAttribute("data-state", "open");

            Locator messages = page.getByTestId("message");
            String earlier = send(webhook, 0);
            assertThat(messages).hasCount(1);
            assertThat(messages.getByTestId("message-ack-state")).hasText("Acknowledged");

            page.getByTestId("go-offline").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "offline");
            assertThat(page.getByTestId("connection-state")).hasText("Offline");
            assertThat(page.getByTestId("go-online")).hasText("Come back online");
            assertThat(page.getByTestId("go-offline")).isHidden();
            assertThat(page.getByTestId("subscribe")).isDisabled();
            String first = send(webhook, 1);
            String second = send(webhook, 2);
            assertOutcome(log, first, "pending");
            assertOutcome(log, second, "pending");
            assertOutcome(log, earlier, "acked");
            assertThat(messages).hasCount(1);
            Layout.assertFitsPhoneAndDesktop(page, "simulator-offline");
            Layout.assertFitsPhoneAndDesktop(log, "deliveries-pending-while-offline");

            page.getByTestId("go-online").click();
            assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "online");
            assertThat(messages).hasCount(3);
            assertThat(messages.nth(1)).hasAttribute("data-delivery-id", first);
            assertThat(messages.nth(2)).hasAttribute("data-delivery-id", second);
            assertThat(messages.nth(1).getByTestId("message-args")).containsText("\"n\": 1");
            assertThat(messages.nth(2).getByTestId("message-args")).containsText("\"n\": 2");
            assertThat(messages.nth(1).getByTestId("message-ack-state")).hasText("Acknowledged");
            assertThat(messages.nth(2).getByTestId("message-ack-state")).hasText("Acknowledged");
            // The earlier message's ack reached the server: it did not come again on reconnecting.
            assertThat(messages.nth(0).getByTestId("message-received-count")).isHidden();
            assertOutcome(log, first, "acked");
            assertOutcome(log, second, "acked");
            Layout.assertFitsPhoneAndDesktop(log, "deliveries-acked-back-online");

            // Everything opened up, long bodies included, still fits.
            messages.nth(2).locator("details summary").click();
            page.getByTestId("curl-details").locator("summary").click();
            page.getByTestId("run-key-path-test").click();
            assertThat(page.getByTestId("key-path-value")).hasText("abc");
            page.getByTestId("key-path-result").locator("details summary").click();
            Layout.assertFitsPhoneAndDesktop(page, "simulator-back-online");
            assertEquals(List.of(), browser.foreignRequests());
        }
    }

    @Test
    void withoutAutoAckAMessageComesAgainUntilItIsAcknowledged() {
        Webhooks webhook = Webhooks.create(DEVELOPER);
        try (Browser browser = Browser.desktop()) {
            Page page = browser.signIn().page;
            page.navigate(Browser.url("/webhooks/" + webhook.id + "/simulator"));
            Layout.assertFitsPhoneAndDesktop(page, "simulator-no-test-homey");
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
            Layout.assertFitsPhoneAndDesktop(page, "simulator-not-acknowledged");
            message.getByTestId("ack").click();
            assertThat(message.getByTestId("message-ack-state")).hasText("Acknowledged");
            assertThat(message.getByTestId("ack")).isHidden();
            assertEquals(List.of(), browser.foreignRequests());
        }
    }

    /** Posts {@code {"device_id":"abc","n":n,…}} as a manufacturer's API would; answers the delivery's ID. */
    private static String send(Webhooks webhook, int n) {
        return given().contentType("application/json")
                .body("{\"device_id\":\"abc\",\"n\":" + n + ",\"note\":\"" + LONG_NOTE + "\"}")
                .post(webhook.url()).then().statusCode(200).extract().path("deliveryId");
    }

    private static void assertOutcome(Page log, String deliveryId, String outcome) {
        assertThat(log.locator("#delivery-" + deliveryId).getByTestId("outcome")).hasAttribute("data-outcome", outcome);
    }
}
