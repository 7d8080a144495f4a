package dev.switchboard.support;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Clock;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import io.restassured.RestAssured;

/**
 * Debian's Chromium, headless, driven by Playwright without downloading a browser. Everything its pages load must
 * come from the app itself: {@link #foreignRequests()} lists what went anywhere else, in any of its windows.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Paths.get(System.getProperty("chromium.path", "/usr/bin/chromium"));

    static {
        // A cap on waiting for what a page should show, not a timing assertion: slow machines get there too.
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;
    private final BrowserContext context;
    private final List<BrowserContext> otherWindows = new ArrayList<>();
    public final Page page;
    private final List<String> foreignRequests = new CopyOnWriteArrayList<>();

    private Browser() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        context = newContext(null);
        page = context.newPage();
    }

    /** A desktop-sized window; {@link Layout} checks pages at phone width too. */
    public static Browser desktop() {
        return new Browser();
    }

    public static String url(String path) {
        return "http://localhost:" + RestAssured.port + path;
    }

    /** The path and query of a URL of the app, as its links write them. */
    public static String pathOf(String url) {
        return url.startsWith(url("")) ? url.substring(url("").length()) : url;
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

    /** Another tab beside {@link #page}, in the same session. */
    public Page newTab() {
        return context.newPage();
    }

    /**
     * A window of its own, signed in like {@link #page}, whose page timers never fire (Playwright's clock, paused):
     * what it shows live must get there without them. htmx, for one, processes swapped-in content on a 20 ms timer,
     * which a busy machine may run only after the server's next event has arrived.
     */
    public Page windowWithPausedTimers() {
        BrowserContext window = newContext(context.storageState());
        otherWindows.add(window);
        Page paused = window.newPage();
        long now = System.currentTimeMillis();
        paused.clock().install(new Clock.InstallOptions().setTime(now));
        // Ahead of where the installed clock has run to meanwhile: the clock only moves forwards.
        paused.clock().pauseAt(now + 60_000);
        return paused;
    }

    /** Hosts other than the app that pages tried to reach. */
    public List<String> foreignRequests() {
        return List.copyOf(foreignRequests);
    }

    @Override
    public void close() {
        otherWindows.forEach(BrowserContext::close);
        context.close();
        browser.close();
        playwright.close();
    }

    private BrowserContext newContext(String storageState) {
        BrowserContext created = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(Layout.DESKTOP, Layout.DESKTOP_HEIGHT)
                .setStorageState(storageState)
                .setPermissions(List.of("clipboard-read", "clipboard-write")));
        created.onRequest(request -> {
            String url = request.url();
            if (!url.startsWith("http://localhost:") && !url.startsWith("ws://localhost:") && !url.startsWith("data:")) {
                foreignRequests.add(url);
            }
        });
        return created;
    }
}
