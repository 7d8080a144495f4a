package dev.switchboard.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ViewportSize;

/**
 * What every portal page must be at the two widths it is made for, a phone's 375 px and a desktop's 1440 px:
 * readable without scrolling sideways, with each form error right under its field. Screenshots go to
 * target/screenshots.
 */
public final class Layout {

    public static final int PHONE = 375;
    public static final int PHONE_HEIGHT = 812;
    public static final int DESKTOP = 1440;
    public static final int DESKTOP_HEIGHT = 900;
    private static final Path SCREENSHOTS = Paths.get("target/screenshots");
    /** A cap on waiting for a resized page to settle, not a timing assertion. */
    private static final double SETTLE_LIMIT_MS = 5_000;
    /** Below a field, its error may sit at most about a line's spacing away. */
    private static final double MAX_ERROR_GAP = 40;

    private static final String TOO_WIDE = "() => [...document.querySelectorAll('body *')]"
            + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 8)"
            + ".map(e => e.tagName + '.' + e.className + '[' + (e.dataset.testid || '') + '] '"
            + " + Math.round(e.getBoundingClientRect().right)).join(', ')";

    private Layout() {
    }

    /**
     * Checks {@code page} at phone and at desktop width, saving {@code name}-375.png and {@code name}-1440.png, then
     * gives it back its size.
     */
    public static void assertFitsPhoneAndDesktop(Page page, String name) {
        assertFitsPhoneAndDesktop(page, name, () -> {
        });
    }

    /** As {@link #assertFitsPhoneAndDesktop(Page, String)}, running {@code alsoAtEachWidth} at each width too. */
    public static void assertFitsPhoneAndDesktop(Page page, String name, Runnable alsoAtEachWidth) {
        ViewportSize before = page.viewportSize();
        try {
            for (int width : new int[] { PHONE, DESKTOP }) {
                page.setViewportSize(width, width == PHONE ? PHONE_HEIGHT : DESKTOP_HEIGHT);
                assertNoSidewaysScrolling(page, name + " at " + width + " px");
                alsoAtEachWidth.run();
                screenshot(page, name + "-" + width);
            }
        } finally {
            page.setViewportSize(before.width, before.height);
        }
    }

    /** The error is visible right under its field, and belongs to it for a screen reader (label or description). */
    public static void assertErrorNextToField(Locator field, Locator error) {
        assertThat(error).isVisible();
        Object belongs = field.evaluate("(f, e) => [...(f.labels || [])].some(l => l.contains(e))"
                + " || (f.getAttribute('aria-describedby') || '').split(' ')"
                + ".some(id => { const d = document.getElementById(id); return d !== null && d.contains(e); })",
                error.elementHandle());
        assertTrue(Boolean.TRUE.equals(belongs), "the field's label or description holds its error");
        // A field grouped with its button (Pico's role="group") ends where the group ends.
        List<?> box = (List<?>) field.evaluate("f => { const r = (f.closest('[role=group]') || f).getBoundingClientRect();"
                + " return [r.left, r.top, r.width, r.height]; }");
        double x = number(box.get(0)), y = number(box.get(1)), width = number(box.get(2)), height = number(box.get(3));
        BoundingBox e = error.boundingBox();
        double gap = e.y - (y + height);
        boolean overlapsHorizontally = e.x < x + width && e.x + e.width > x;
        assertTrue(gap > -1 && gap <= MAX_ERROR_GAP && overlapsHorizontally,
                () -> "error at (" + e.x + ", " + e.y + ") is not right under its field at (" + x + ", " + y + ", "
                        + width + " × " + height + ")");
    }

    private static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    private static void assertNoSidewaysScrolling(Page page, String what) {
        // A new width reaches the page's resize handlers (the chart's) at its next frame: let them run first.
        try {
            page.waitForCondition(() -> sidewaysScroll(page) <= 0,
                    new Page.WaitForConditionOptions().setTimeout(SETTLE_LIMIT_MS));
        } catch (TimeoutError stillTooWide) {
            fail(what + ": scrolls sideways by " + sidewaysScroll(page) + " px; too wide: " + page.evaluate(TOO_WIDE));
        }
    }

    /** How far the page, or its main content, scrolls sideways. */
    private static int sidewaysScroll(Page page) {
        return ((Number) page.evaluate("() => { const m = document.querySelector('main');"
                + " return Math.max(document.documentElement.scrollWidth - window.innerWidth,"
                + " m.scrollWidth - m.clientWidth); }")).intValue();
    }
}
