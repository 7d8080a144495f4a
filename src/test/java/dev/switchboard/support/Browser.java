package dev.switchboard.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import io.restassured.RestAssured;

/**
 * Debian's Chromium, headless, driven by Playwright without downloading a browser. Everything the page loads
 * must come from the app itself: requests to any other host fail the test.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Paths.get(System.getProperty("chromium.path", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Paths.get("target/screenshots");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    private final BrowserContext context;
    public final Page page;
    private final List<String> foreignRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Browser(int width, int height) {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(width, height)
                .setPermissions(List.of("clipboard-read", "clipboard-write")));
        page = context.newPage();
        page.onRequest(request -> {
            String url = request.url();
            if (!url.startsWith("http://localhost") && !url.startsWith("ws://localhost") && !url.startsWith("data:")) {
                foreignRequests.add(url);
            }
        });
    }

    public static Browser desktop() {
        return new Browser(1440, 900);
    }

    public static Browser phone() {
        return new Browser(375, 812);
    }

    public static String url(String path) {
        return "http://localhost:" + RestAssured.port + path;
    }

    /** Signs in through the OIDC provider's login page (the WireMock provider accepts any user). */
    public Browser signIn() {
        page.navigate(url("/"));
        page.click("text=Sign in");
        page.waitForSelector("#username");
        page.fill("#username", "alice");
        page.fill("#password", "alice");
        page.click("#login");
        try {
            page.waitForURL("**/webhooks", new Page.WaitForURLOptions().setTimeout(15_000));
        } catch (com.microsoft.playwright.TimeoutError e) {
            throw new AssertionError("Sign-in ended at " + page.url() + ": " + page.content(), e);
        }
        return this;
    }

    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** Hosts other than the app that pages tried to reach. */
    public List<String> foreignRequests() {
        return List.copyOf(foreignRequests);
    }

    @Override
    public void close() {
        context.close();
        browser.close();
        playwright.close();
    }
}
