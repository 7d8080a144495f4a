package dev.switchboard.routing.legacy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Turns a function body into a runnable {@link Source}, after proving it is a function body.
 *
 * <p>The body is wrapped as {@code (function (homey_data, webhook_data) {\n<body>\n})}. A wrapped
 * body could close the wrapper early ({@code "}, evil(), function(){"}) and run code while the
 * function is being defined. So every body is first checked with {@code new Function(...)} in a
 * separate context: that parses it with the exact FunctionBody grammar (never running it) and
 * rejects anything that escapes. Only bodies that pass reach a runtime context, where
 * {@code eval}/{@code Function} are disabled.
 *
 * <p>Results are cached per body. The cache also keeps each {@link Source} reachable, which is
 * what keeps the engine's parsed-code cache warm across contexts.
 */
final class FunctionCompiler {

    static final String SOURCE_NAME = "legacy-function.js";
    private static final int CACHE_SIZE = 256;
    private static final Pattern GRAAL_SYNTAX_ERROR =
            Pattern.compile("^SyntaxError: <function>:(\\d+):(\\d+) (.*)$");

    /** A validated body's runnable source, or why the body is rejected. */
    record Compiled(Source source, String error) {
        boolean valid() {
            return error == null;
        }
    }

    private final SandboxRuntime runtime;
    private final int maxSourceLength;
    private final Map<String, Compiled> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    FunctionCompiler(SandboxRuntime runtime, int maxSourceLength) {
        this.runtime = runtime;
        this.maxSourceLength = maxSourceLength;
    }

    Compiled compile(String body) {
        synchronized (cache) {
            Compiled hit = cache.get(body);
            if (hit != null) {
                return hit;
            }
        }
        // Compiling outside the lock: two threads may both compile a new body; both agree.
        Compiled fresh = doCompile(body);
        synchronized (cache) {
            cache.put(body, fresh);
        }
        return fresh;
    }

    private Compiled doCompile(String body) {
        if (body.length() > maxSourceLength) {
            return new Compiled(null, "function body is longer than " + maxSourceLength + " characters");
        }
        String error = syntaxError(body);
        if (error != null) {
            return new Compiled(null, error);
        }
        // The newline before the closing brace keeps a trailing // comment from eating it.
        String wrapped = "(function (homey_data, webhook_data) {\n" + body + "\n})";
        Source source = Source.newBuilder("js", wrapped, SOURCE_NAME).cached(true).buildLiteral();
        return new Compiled(source, null);
    }

    /**
     * Parsing runs no guest code and is bounded by {@code maxSourceLength}, so it needs no
     * watchdog; a fresh context per check keeps validation free of shared state.
     */
    private String syntaxError(String body) {
        try (Context context = runtime.newValidationContext()) {
            Value check = context.eval(CHECK);
            check.execute(body);
            return null;
        } catch (PolyglotException e) {
            if (e.isGuestException() && !e.isResourceExhausted()) {
                // Includes "RangeError: Maximum call stack size exceeded" from absurdly deep nesting.
                return describeSyntaxError(e.getMessage(), (int) body.lines().count());
            }
            return "function body could not be parsed: " + e.getMessage();
        }
    }

    /**
     * Graal reports {@code "SyntaxError: <function>:2:6 Expected ) but found {\n<line>\n^"} with
     * body-relative lines and 0-based columns; an error at the end of input points one line past
     * the body (the Function constructor appends a newline).
     */
    static String describeSyntaxError(String message, int bodyLines) {
        if (message == null) {
            return "SyntaxError";
        }
        String first = message.lines().findFirst().orElse(message);
        Matcher m = GRAAL_SYNTAX_ERROR.matcher(first);
        if (!m.matches()) {
            return first;
        }
        int line = Integer.parseInt(m.group(1));
        int column = Integer.parseInt(m.group(2)) + 1;
        if (line > Math.max(1, bodyLines)) {
            return "SyntaxError at end of body: " + m.group(3);
        }
        return "SyntaxError at line " + line + ", column " + column + ": " + m.group(3);
    }

    private static final Source CHECK = Source.newBuilder("js",
            "(function (body) { new Function('homey_data', 'webhook_data', body); })",
            "legacy-function-check.js").buildLiteral();
}
