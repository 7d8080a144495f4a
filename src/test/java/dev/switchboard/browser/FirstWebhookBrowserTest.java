package dev.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.support.Browser;
import io.quarkus.test.junit.QuarkusTest;

/** A new developer's first minutes, in Chromium: sign in, create a webhook, copy a valid env.json. */
@QuarkusTest
class FirstWebhookBrowserTest {

    @Test
    void signInCreateAWebhookAndCopyEnvJson() throws Exception {
        try (Browser browser = Browser.desktop()) {
            browser.signIn();
            browser.screenshot("01-webhooks");
            browser.page.fill("#name", "Acme light bulbs");
            browser.page.click("text=Create webhook");
            browser.page.waitForSelector("[data-testid=webhook-id]");
            String id = browser.page.textContent("[data-testid=webhook-id]");
            assertTrue(id.matches("[0-9a-f]{24}"), id);
            assertTrue(browser.page.textContent("[data-testid=notice]").contains("Webhook created"));
            browser.screenshot("02-webhook-created");

            browser.page.click("[data-testid=copy-env-json]");
            String copied = (String) browser.page.evaluate("navigator.clipboard.readText()");
            JsonNode env = new ObjectMapper().readTree(copied);
            assertEquals(id, env.get("WEBHOOK_ID").asText());
            assertTrue(env.get("WEBHOOK_SECRET").asText().matches("[A-Za-z0-9_-]{43}"));
            assertEquals(2, env.size());

            browser.page.fill("#keyPath", "body..device_id");
            browser.page.waitForSelector("[data-testid=key-path-error]");
            assertTrue(browser.page.textContent("[data-testid=key-path-error]").contains("position 5"));
            browser.page.fill("#keyPath", "body.device_id");
            browser.page.waitForSelector("text=Valid key path");
            browser.page.click("[data-testid=save-key-path]");
            browser.page.waitForSelector("text=Key path saved");
            browser.screenshot("03-key-path-saved");
            assertEquals(java.util.List.of(), browser.foreignRequests());
        }
    }
}
