package dev.switchboard.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import dev.switchboard.delivery.DeliveryIds;
import dev.switchboard.delivery.DeliveryRecord;
import dev.switchboard.delivery.log.DeliveryFeed;
import dev.switchboard.delivery.log.DeliveryLogConfig;
import dev.switchboard.routing.RoutedBy;
import dev.switchboard.support.Browser;
import dev.switchboard.support.Layout;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A new developer's first session in Chromium, as issue 4's acceptance tells it: sign in, create a webhook, copy
 * env.json, set the key path {@code body.device_id}, register the simulator with {@code $keys ["abc"]}, send
 * {@code {"device_id":"abc"}} from the portal's test form, see the simulator receive it and the open delivery log
 * show it acknowledged, replay it from its page and see the replay arrive in that log, live. Every page is checked at
 * phone and desktop width, with screenshots in target/screenshots.
 */
@QuarkusTest
class FirstWebhookBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SENDER_SECRET = "browser-test-secret";

    @Inject
    DeliveryFeed feed;

    @Inject
    DeliveryLogConfig config;

    @Test
    void fromSignInToATestRequestAckedBySimulatorAndItsReplayInTheLiveLog() throws Exception {
        try (Browser browser = Browser.desktop()) {
            Page page = browser.signIn().page;
            Layout.assertFitsPhoneAndDesktop(page, "01-webhooks");
            String webhookId = createWebhook(page);
            String secret = copyEnvJson(page, webhookId);
            setKeyPath(page);

            page.getByTestId("simulator-link").click();
            String homeyId = registerTheSimulatorForAbc(page);
            // The log stays open from here on, in a window of its own.
            Page log = browser.windowWithPausedTimers();
            log.navigate(Browser.url("/webhooks/" + webhookId + "/deliveries"));
            assertThat(log.getByTestId("live-status")).hasAttribute("data-state", "open");
            assertThat(log.getByTestId("no-deliveries")).isVisible();

            String deliveryId = sendTestRequestForAbc(page);
            Locator messages = page.getByTestId("message");
            assertThat(messages).hasCount(1);
            assertThat(messages).hasAttribute("data-delivery-id", deliveryId);
            assertThat(messages.getByTestId("message-args")).containsText("\"device_id\": \"abc\"");
            assertThat(messages.getByTestId("message-args")).containsText("\"content-type\": \"application/json\"");
            assertThat(messages.getByTestId("message-ack-state")).hasText("Acknowledged");
            assertThat(page.getByTestId("no-messages")).isHidden();
            page.getByTestId("socket-log").locator("summary").click();
            String frames = page.getByTestId("socket-frames").textContent();
            assertTrue(frames.contains("\"homeyKey\":\"•••\"") && frames.contains("\"secret\":\"•••\""), frames);
            assertFalse(frames.contains(secret), "the socket log never shows the webhook secret");
            testKeyPath(page, homeyId);
            Layout.assertFitsPhoneAndDesktop(page, "05-simulator-message");

            Locator row = log.locator("#delivery-" + deliveryId);
            assertThat(row.getByTestId("outcome")).hasAttribute("data-outcome", "acked");
            assertThat(log.getByTestId("no-deliveries")).isHidden();
            Layout.assertFitsPhoneAndDesktop(log, "06-deliveries-acked");

            Page detail = browser.newTab();
            detail.navigate(Browser.url(row.getByTestId("delivery-link").getAttribute("href")));
            checkDeliveryPage(detail, homeyId);
            String replayId = replay(detail, deliveryId);
            assertThat(messages).hasCount(2);
            assertThat(messages.nth(1)).hasAttribute("data-delivery-id", replayId);
            assertThat(messages.nth(1).getByTestId("message-ack-state")).hasText("Acknowledged");

            assertThat(log.locator("#delivery-" + replayId).getByTestId("outcome"))
                    .hasAttribute("data-outcome", "acked");
            assertEquals(List.of(replayId, deliveryId), log.getByTestId("delivery-row").all().stream()
                    .map(r -> r.getAttribute("data-delivery-id")).toList());
            assertThat(log.locator("#delivery-" + replayId + " .tag")).hasText("replay");
            assertThat(log.locator("#delivery-chart canvas").first()).isVisible();
            Layout.assertFitsPhoneAndDesktop(log, "09-deliveries-with-replay");

            // When the feed loses changes the rows come again: they replace those shown, and the page stays live.
            log.evaluate("document.getElementById('delivery-" + replayId + "').dataset.shownBefore = 'true'");
            feed.committed(IntStream.rangeClosed(0, config.liveMaxPendingChanges()).mapToObj(i -> "lost-" + i)
                    .toList());
            assertThat(log.locator("#delivery-" + replayId)).not().hasAttribute("data-shown-before", "true");
            assertEquals(List.of(replayId, deliveryId), log.getByTestId("delivery-row").all().stream()
                    .map(r -> r.getAttribute("data-delivery-id")).toList());
            assertThat(log.getByTestId("live-status")).hasAttribute("data-state", "open");

            // In a cluster a delivery recorded by another node can reach the page after a newer one: it takes its
            // place by time, not the top.
            String older = DeliveryIds.next(DeliveryIds.timeOf(deliveryId).minusMillis(1));
            feed.recorded(new DeliveryRecord(older, webhookId, DeliveryIds.timeOf(older), "POST",
                    JsonNodeFactory.instance.objectNode(), null, "application/json", new byte[0], RoutedBy.KEY_PATH,
                    null, List.of(), null));
            assertThat(log.locator("#delivery-" + older)).isVisible();
            assertEquals(List.of(replayId, deliveryId, older), log.getByTestId("delivery-row").all().stream()
                    .map(r -> r.getAttribute("data-delivery-id")).toList());

            removeTheRegistration(detail, webhookId, homeyId);
            filterWithAnInvalidHomeyId(detail, webhookId);
            assertEquals(List.of(), browser.foreignRequests());
        }
    }

    private static String createWebhook(Page page) {
        page.fill("#name", "Acme light bulbs");
        page.click("text=Create webhook");
        String id = page.getByTestId("webhook-id").textContent();
        assertTrue(id.matches("[0-9a-f]{24}"), id);
        assertThat(page.getByTestId("notice")).containsText("Webhook created");
        Layout.assertFitsPhoneAndDesktop(page, "02-webhook-created");
        return id;
    }

    /** Answers the secret copied. */
    private static String copyEnvJson(Page page, String webhookId) throws Exception {
        page.getByTestId("copy-env-json").click();
        // The page holds no secret: the button fetches env.json, then copies it, and says so.
        assertThat(page.getByTestId("copy-env-json")).hasText("Copied");
        JsonNode env = JSON.readTree((String) page.evaluate("navigator.clipboard.readText()"));
        assertEquals(Browser.url(""), env.get("SWITCHBOARD_URL").asText());
        assertEquals(webhookId, env.get("WEBHOOK_ID").asText());
        assertTrue(env.get("WEBHOOK_SECRET").asText().matches("[A-Za-z0-9_-]{43}"), env.toString());
        assertEquals(3, env.size());
        return env.get("WEBHOOK_SECRET").asText();
    }

    private static void setKeyPath(Page page) {
        Locator field = page.locator("#keyPath");
        Locator error = page.getByTestId("key-path-error");
        field.fill("body..device_id");
        assertThat(error).containsText("position 5");
        Layout.assertFitsPhoneAndDesktop(page, "03-key-path-error", () -> Layout.assertErrorNextToField(field, error));
        field.fill("body.device_id");
        assertThat(page.getByTestId("key-path-feedback")).containsText("Valid key path");
        page.getByTestId("save-key-path").click();
        assertThat(page.getByTestId("notice")).containsText("Key path saved");
    }

    /** Enrolls a test Homey and subscribes it with {@code {"$keys":["abc"]}}; answers its ID. */
    private static String registerTheSimulatorForAbc(Page page) {
        page.fill("#label", "Browser Homey");
        page.getByTestId("enroll-test-homey").click();
        assertThat(page.getByTestId("selected-test-homey")).isVisible();
        assertThat(page.getByTestId("connection-state")).hasAttribute("data-state", "online");
        assertThat(page.getByTestId("connection-state")).hasText("Online");
        Locator data = page.getByTestId("registration-data");
        Locator error = page.getByTestId("registration-data-error");
        data.fill("{\"$keys\": [\"abc\"");
        page.getByTestId("subscribe").click();
        assertThat(error).containsText("Not valid JSON");
        Layout.assertFitsPhoneAndDesktop(page, "04-simulator-data-error", () -> Layout.assertErrorNextToField(data, error));
        data.fill("{\"$keys\": [\"abc\"]}");
        page.getByTestId("subscribe").click();
        assertThat(error).isHidden();
        assertThat(page.getByTestId("registration-state")).hasText("Registered for this webhook with the data above.");
        return page.getByTestId("simulator-homey-id").textContent();
    }

    /** Sends {@code {"device_id":"abc"}} through the page's test form, after a header it refuses; answers its ID. */
    private static String sendTestRequestForAbc(Page page) {
        Locator headers = page.getByTestId("test-headers");
        Locator error = page.getByTestId("test-headers-error");
        page.getByTestId("test-method").selectOption("POST");
        headers.fill("Content-Type application/json");
        page.getByTestId("send-test").click();
        assertThat(error).containsText("Line 1: write it as Name: value");
        Layout.assertErrorNextToField(headers, error);
        headers.fill("Content-Type: application/json\nAuthorization: Bearer " + SENDER_SECRET);
        page.getByTestId("test-body").fill("{\"device_id\":\"abc\"}");
        page.getByTestId("send-test").click();
        assertThat(error).isHidden();
        assertThat(page.getByTestId("send-status")).containsText("200");
        assertThat(page.getByTestId("send-response")).containsText("\"status\": \"accepted\"");
        return page.getByTestId("send-response").textContent()
                .replaceAll("(?s).*\"deliveryId\": \"([0-9a-f]{24})\".*", "$1");
    }

    /** The key-path tester finds "abc" and reaches this simulator; a broken key path is shown where it breaks. */
    private static void testKeyPath(Page page, String homeyId) {
        Locator field = page.getByTestId("test-key-path");
        field.fill("body.device_id");
        page.getByTestId("run-key-path-test").click();
        assertThat(page.getByTestId("key-path-value")).hasText("abc");
        assertThat(page.getByTestId("key-path-homey")).hasText(homeyId);
        assertThat(page.getByTestId("key-path-homeys")).containsText("this simulator");
        field.fill("body[");
        page.getByTestId("run-key-path-test").click();
        Locator error = page.getByTestId("test-key-path-error");
        assertThat(error).containsText("position");
        Layout.assertErrorNextToField(page.getByTestId("test-key-path"), error);
    }

    /** The delivery's page: why it went where it went, to whom, the request (credentials hidden), curl, fixture. */
    private static void checkDeliveryPage(Page detail, String homeyId) throws Exception {
        assertThat(detail.getByTestId("rule-explanation"))
                .containsText("The key path body.device_id found \"abc\"");
        Locator target = detail.getByTestId("target-table").locator("tr[data-homey-id='" + homeyId + "']");
        assertThat(target.locator("[data-outcome]")).hasAttribute("data-outcome", "acked");
        assertThat(target.locator("td").nth(3)).not().isEmpty();
        assertThat(target.locator("td").nth(5)).not().isEmpty();
        assertThat(detail.getByTestId("redacted")).hasText("[redacted]");
        assertThat(detail.getByTestId("body")).containsText("\"device_id\" : \"abc\"");

        detail.bringToFront();
        detail.getByTestId("copy-curl").click();
        String curl = (String) detail.evaluate("navigator.clipboard.readText()");
        assertTrue(curl.startsWith("curl -X POST"), curl);
        assertFalse(curl.contains(SENDER_SECRET), curl);
        Download download = detail.waitForDownload(() -> detail.getByTestId("download-fixture").click());
        JsonNode fixture = JSON.readTree(Files.readString(download.path()));
        assertEquals("message", fixture.get("type").asText());
        assertEquals("[redacted]", fixture.at("/headers/authorization").asText());
        assertEquals("abc", fixture.at("/body/device_id").asText());
        Layout.assertFitsPhoneAndDesktop(detail, "07-delivery-detail");
    }

    /** Replays from the delivery's page; answers the new delivery's ID. */
    private static String replay(Page detail, String deliveryId) {
        detail.onDialog(dialog -> dialog.accept());
        detail.getByTestId("replay").click();
        assertThat(detail.getByTestId("replay-of")).isVisible();
        assertThat(detail.getByTestId("notice")).containsText("Replayed");
        String replayId = detail.getByTestId("delivery-id").textContent().strip();
        assertTrue(replayId.matches("[0-9a-f]{24}") && !replayId.equals(deliveryId), replayId);
        Layout.assertFitsPhoneAndDesktop(detail, "08-replayed-delivery");
        return replayId;
    }

    private static void removeTheRegistration(Page page, String webhookId, String homeyId) {
        page.navigate(Browser.url("/webhooks/" + webhookId + "/registrations"));
        Locator registration = page.getByTestId("registration");
        assertThat(registration).hasCount(1);
        assertThat(registration).hasAttribute("data-homey-id", homeyId);
        assertThat(registration.getByTestId("test-homey-badge")).isVisible();
        assertThat(registration.getByTestId("registration-data")).hasText("{\"$keys\":[\"abc\"]}");
        Layout.assertFitsPhoneAndDesktop(page, "10-registrations");
        registration.getByTestId("remove-registration").click();
        assertThat(page.getByTestId("confirm-remove")).isVisible();
        Layout.assertFitsPhoneAndDesktop(page, "11-confirm-remove");
        page.getByTestId("confirm-remove").check();
        page.getByTestId("confirm-remove-button").click();
        assertThat(page.getByTestId("notice")).containsText("Registration removed");
        assertThat(page.getByTestId("no-registrations")).isVisible();
    }

    private static void filterWithAnInvalidHomeyId(Page page, String webhookId) {
        page.navigate(Browser.url("/webhooks/" + webhookId + "/deliveries"));
        Locator field = page.locator("input[name=homeyId]");
        page.locator(".delivery-filters summary").click();
        field.fill("not-a-homey");
        page.getByTestId("apply-filters").click();
        Locator error = page.getByTestId("homeyId-error");
        assertThat(error).isVisible();
        assertThat(page.getByTestId("filter-errors")).isVisible();
        Layout.assertFitsPhoneAndDesktop(page, "12-deliveries-filter-error",
                () -> Layout.assertErrorNextToField(field, error));
    }
}
