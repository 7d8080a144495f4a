package dev.switchboard.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;

import dev.switchboard.support.Browser;
import dev.switchboard.support.HomeyClient;
import dev.switchboard.support.Layout;
import dev.switchboard.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * What a newcomer sees first (issue 15): every portal page reachable from the landing page, anonymous and signed in,
 * at phone and desktop width, shows no template syntax, does not scroll sideways, and keeps each header control and
 * the breadcrumb trail on one line; and (issue 12) each runs under a strict Content-Security-Policy with no
 * violation.
 */
@QuarkusTest
class EveryPageBrowserTest {

    /** Qute syntax that reached the page as text: {' {# {/ {! or an expression such as {webhook.name}. */
    static final Pattern TEMPLATE_SYNTAX = Pattern.compile("\\{['#/!]|(?<!\\$)\\{[A-Za-z_][\\w.]*(:[\\w.]+)?\\}");
    /** A path's shape: one page per shape is enough (every delivery's page is the same template). */
    static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    /** Where each breadcrumb sits and how it is laid out, to tell why a trail wrapped. */
    static final String CRUMB_BOXES = "() => [...document.querySelectorAll('nav[aria-label=breadcrumb] :is(ul, li)')]"
            + ".map(e => { const r = e.getBoundingClientRect(), c = getComputedStyle(e);"
            + " return e.tagName + ' ' + c.display + ' ' + c.flexWrap + ' at ' + Math.round(r.left) + ','"
            + " + Math.round(r.top) + ': ' + e.textContent; })"
            + ".join(' | ')";
    static final Set<String> NOT_PAGES = Set.of("/login", "/logout", "/q/", "/api/", "/webjars/", "/assets/", "/auth/");

    @Test
    void anonymousPagesReachableFromTheLandingPage() {
        try (Browser browser = Browser.desktop()) {
            List<String> visited = crawl(browser.page, "anonymous");
            assertTrue(visited.containsAll(List.of("/", "/docs/apps")), () -> "visited " + visited);
            assertTrue(browser.foreignRequests().isEmpty(), () -> "requests elsewhere: " + browser.foreignRequests());
        }
    }

    @Test
    void signedInPagesReachableFromTheLandingPage() {
        // alice's webhook with a key path, a registered Homey and a delivery, so that every kind of page has rows.
        Webhooks webhook = Webhooks.create("alice").keyPath("body.device_id");
        try (HomeyClient homey = HomeyClient.enroll().connect()) {
            homey.subscribe(webhook.id, webhook.secret, "{\"$key\":\"lamp-1\"}");
            RestAssured.given().contentType("application/json").body("{\"device_id\":\"lamp-1\",\"on\":true}")
                    .post(webhook.url()).then().statusCode(200);
            homey.ack(homey.nextMessage());
            try (Browser browser = Browser.desktop()) {
                browser.signIn();
                List<String> visited = crawl(browser.page, "signed-in");
                for (String expected : List.of("/webhooks", "/webhooks/{id}", "/webhooks/{id}/deliveries",
                        "/webhooks/{id}/deliveries/{id}", "/webhooks/{id}/registrations", "/webhooks/{id}/simulator")) {
                    assertTrue(visited.contains(expected), () -> "no link led to " + expected + "; visited " + visited);
                }
                assertTrue(browser.foreignRequests().isEmpty(), () -> "requests elsewhere: " + browser.foreignRequests());
            }
        }
    }

    /** Visits the landing page and every page linked from a visited page, once per shape; answers the shapes. */
    static List<String> crawl(Page page, String who) {
        Deque<String> toVisit = new ArrayDeque<>(List.of("/"));
        Set<String> shapes = new HashSet<>();
        List<String> visited = new ArrayList<>();
        // Issue 12: every page runs under its Content-Security-Policy without one violation (Chromium reports each
        // on the console, and as a securitypolicyviolation event).
        List<String> violations = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                violations.add(page.url() + ": " + message.text());
            }
        });
        page.addInitScript("document.addEventListener('securitypolicyviolation', e => console.error("
                + "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))");
        while (!toVisit.isEmpty()) {
            String path = toVisit.poll();
            String shape = ID.matcher(path.replaceAll("[?#].*", "")).replaceAll("{id}");
            if (!shapes.add(shape)) {
                continue;
            }
            Response response = page.navigate(Browser.url(path));
            assertTrue(response != null && response.status() < 400, () -> path + " answered "
                    + (response == null ? "nothing" : response.status()));
            String shown = Browser.pathOf(page.url());
            String name = who + shape.replaceAll("[^A-Za-z0-9]+", "-");
            Layout.assertFitsPhoneAndDesktop(page, name, () -> {
                assertNoTemplateSyntax(page, shown);
                assertHeaderControlsOnOneLine(page, shown);
                assertBreadcrumbsOnOneLine(page, shown);
            });
            String policy = response.headers().get("content-security-policy");
            assertTrue(policy != null && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
                    () -> path + " has no strict Content-Security-Policy: " + policy);
            page.waitForTimeout(300); // scripts that run after load (htmx, the chart, the live log) have run
            assertEquals(List.of(), violations, () -> path + " violates its Content-Security-Policy");
            visited.add(ID.matcher(shown.replaceAll("[?#].*", "")).replaceAll("{id}"));
            links(page).stream().filter(EveryPageBrowserTest::isPage).forEach(toVisit::add);
        }
        return visited;
    }

    static boolean isPage(String href) {
        return href.startsWith("/") && !href.startsWith("//") && NOT_PAGES.stream().noneMatch(href::startsWith);
    }

    @SuppressWarnings("unchecked")
    static List<String> links(Page page) {
        return (List<String>) page.evaluate("() => [...document.querySelectorAll('a[href]:not([download])')]"
                + ".map(a => a.getAttribute('href'))");
    }

    static void assertNoTemplateSyntax(Page page, String path) {
        String text = (String) page.evaluate("() => document.body.innerText");
        Matcher found = TEMPLATE_SYNTAX.matcher(text);
        if (found.find()) {
            int from = Math.max(0, found.start() - 40);
            throw new AssertionError(path + " shows template syntax '" + found.group() + "' in: …"
                    + text.substring(from, Math.min(text.length(), found.end() + 40)).replace('\n', ' ') + "…");
        }
    }

    /** Each link, button and label in the header stays on one line (wrapped text has line boxes at two heights). */
    static void assertHeaderControlsOnOneLine(Page page, String path) {
        Object wrapped = page.evaluate("() => [...document.querySelectorAll('body > header nav li > *')]"
                + ".filter(e => { const r = document.createRange(); r.selectNodeContents(e);"
                + " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size > 1; })"
                + ".map(e => e.textContent.trim())");
        assertEquals(List.of(), wrapped, () -> path + " at " + page.viewportSize().width + " px: header controls wrap");
    }

    /** The breadcrumb trail is one line: the current page never sits alone under its parents. */
    static void assertBreadcrumbsOnOneLine(Page page, String path) {
        Object tops = page.evaluate("() => [...document.querySelectorAll('nav[aria-label=breadcrumb] li')]"
                + ".map(li => Math.round(li.getBoundingClientRect().top))");
        assertTrue(new HashSet<>((List<?>) tops).size() <= 1, () -> path + " at " + page.viewportSize().width
                + " px: breadcrumbs on several lines " + page.evaluate(CRUMB_BOXES));
    }
}
