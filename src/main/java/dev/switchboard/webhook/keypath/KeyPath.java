package dev.switchboard.webhook.keypath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A parsed key path: where in a webhook request to find the value that selects registrations.
 *
 * <h2>Language</h2>
 * A root {@code body}, {@code headers} or {@code query}, then any number of accessors:
 * <pre>
 *   KeyPath   = Root { "." IdentifierName | "[" Index "]" | "[" StringLiteral "]" }
 *   Index     = "0" | [1-9][0-9]*            (at most 2147483647)
 * </pre>
 * IdentifierName and StringLiteral follow ECMAScript: identifiers are made of ID_Start/ID_Continue
 * characters, {@code $}, {@code _}, ZWNJ/ZWJ and {@code \}{@code uXXXX} / {@code \}{@code u{X...}}
 * escapes that spell such characters; reserved words are fine ({@code body.class}). String literals
 * take the whole ECMAScript escape set, except legacy octal escapes ({@code \1}, {@code \01}) and
 * {@code \8}/{@code \9}, which are rejected as in strict mode. There are no calls, operators,
 * computed keys or comments. The root is a case-sensitive identifier ({@code Body} is unknown),
 * so like any identifier it may be spelled with escapes.
 *
 * <h2>Decisions beyond ECMAScript</h2>
 * <ul>
 *   <li>Whitespace and line terminators (ECMAScript's sets) are allowed before and after every
 *       token, as in ECMAScript: {@code " body . devices [ 0 ] "} is {@code body.devices[0]}.</li>
 *   <li>Invisible characters (controls, format characters such as ZWJ or bidi overrides, line and
 *       paragraph separators, spaces other than U+0020) are rejected when written raw inside a
 *       string literal or identifier; they must be escaped. A saved key path should not hide what it
 *       matches, and this keeps {@link #canonical()} no longer than the source.</li>
 *   <li>Escapes must not leave half of a surrogate pair; raw unpaired surrogates are rejected too.</li>
 *   <li>An index is a plain non-negative decimal integer: {@code 01}, {@code -1}, {@code 1.5},
 *       {@code 1e3}, {@code 0x1} and {@code 1_0} are errors, not other keys.</li>
 *   <li>At most {@value #MAX_LENGTH} chars (UTF-16 units).</li>
 * </ul>
 *
 * <h2>Equality</h2>
 * Structural: the root and accessors, not the source text, so {@code body.a} equals
 * {@code body [ "a" ]}. {@code body[0]} and {@code body['0']} are different structures that
 * evaluate alike, and header names keep the case they were written in.
 */
public final class KeyPath {

    /** Longest source accepted, in chars. */
    public static final int MAX_LENGTH = 1024;

    private final String source;
    private final KeyPathRoot root;
    private final List<Accessor> accessors;
    private final String canonical;
    private final Step[] steps;

    KeyPath(String source, KeyPathRoot root, List<? extends Accessor> accessors) {
        this.source = source;
        this.root = Objects.requireNonNull(root, "root");
        this.accessors = List.copyOf(accessors);
        this.canonical = KeyPathRenderer.render(root, this.accessors);
        this.steps = new Step[this.accessors.size()];
        for (int i = 0; i < steps.length; i++) {
            // Intermediaries lower-case header names, so the header name itself is matched
            // case-insensitively; what lies inside a header value is not a header name.
            steps[i] = Step.of(this.accessors.get(i), root == KeyPathRoot.HEADERS && i == 0);
        }
    }

    /**
     * Parses {@code source}.
     *
     * @throws KeyPathSyntaxException if it is not a key path, with the position of the error
     */
    public static KeyPath parse(String source) {
        Objects.requireNonNull(source, "source");
        return KeyPathParser.parse(source);
    }

    /**
     * Builds a key path from its parts; its {@link #source()} is its {@link #canonical()} form.
     *
     * @throws KeyPathSyntaxException if that form is longer than {@value #MAX_LENGTH} chars
     */
    public static KeyPath of(KeyPathRoot root, List<? extends Accessor> accessors) {
        Objects.requireNonNull(root, "root");
        accessors.forEach(accessor -> Objects.requireNonNull(accessor, "accessor"));
        String canonical = KeyPathRenderer.render(root, accessors);
        if (canonical.length() > MAX_LENGTH) {
            throw new KeyPathSyntaxException("key path is longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        return new KeyPath(canonical, root, accessors);
    }

    /** The text exactly as given to {@link #parse}, so saving and loading round-trips byte for byte. */
    public String source() {
        return source;
    }

    public KeyPathRoot root() {
        return root;
    }

    /** The accessors after the root, in order; unmodifiable. */
    public List<Accessor> accessors() {
        return accessors;
    }

    /**
     * A normalized spelling, e.g. {@code headers["X-Device-Id"]} or {@code body.devices[0].id}:
     * no whitespace, dotted when the key is an identifier, otherwise double quotes (single quotes if
     * that needs fewer escapes), minimal escapes. {@code parse(canonical())} equals this key path
     * and, for a parsed key path, {@code canonical()} is never longer than {@code source()}.
     */
    public String canonical() {
        return canonical;
    }

    /**
     * The canonical texts (see {@link CanonicalValue}) of the value this key path points at.
     *
     * <p>Objects are looked into by key and arrays by index; a string key that is a canonical
     * integer ({@code "0"}, {@code "12"}) also indexes an array, and an index also looks up the
     * object key with its digits, as in ECMAScript. Scalars have no properties (no {@code length}).
     * A scalar found gives one value, an array gives the values of its scalar elements, anything
     * else (missing, null, object) gives none.
     *
     * @param body    the request body as JSON, any node or {@code null}
     * @param headers the request headers, field names already lower-case
     * @param query   the query parameters, values strings or arrays of strings
     * @return an unmodifiable list, empty when nothing matches
     */
    public List<String> evaluate(JsonNode body, JsonNode headers, JsonNode query) {
        JsonNode node = switch (root) {
            case BODY -> body;
            case HEADERS -> headers;
            case QUERY -> query;
        };
        for (Step step : steps) {
            if (node == null) {
                return List.of();
            }
            node = step.select(node);
        }
        return valuesOf(node);
    }

    private static List<String> valuesOf(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (node.isArray()) {
            List<String> values = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                String text = CanonicalValue.textOrNull(node.get(i));
                if (text != null) {
                    values.add(text);
                }
            }
            return Collections.unmodifiableList(values);
        }
        String text = CanonicalValue.textOrNull(node);
        return text == null ? List.of() : List.of(text);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPath other && root == other.root && accessors.equals(other.accessors);
    }

    @Override
    public int hashCode() {
        return 31 * root.hashCode() + accessors.hashCode();
    }

    /** The source, so logs show what the developer wrote. */
    @Override
    public String toString() {
        return source;
    }

    /**
     * One accessor prepared for evaluation: both of its possible readings are worked out at parse
     * time so that evaluation does no parsing, case folding or number formatting per request.
     */
    private record Step(String objectKey, int arrayIndex) {

        static Step of(Accessor accessor, boolean headerName) {
            if (accessor instanceof Accessor.Index index) {
                return new Step(Integer.toString(index.index()), index.index());
            }
            String name = ((Accessor.Property) accessor).name();
            return new Step(headerName ? name.toLowerCase(Locale.ROOT) : name, arrayIndexOf(name));
        }

        JsonNode select(JsonNode node) {
            if (node.isObject()) {
                return node.get(objectKey);
            }
            if (node.isArray() && arrayIndex >= 0) {
                return node.get(arrayIndex);
            }
            return null;
        }

        /** The index a key names on an array, as ECMAScript reads "3" but not "03", "+3" or "3.0"; else -1. */
        private static int arrayIndexOf(String name) {
            if (name.isEmpty() || name.length() > 10 || (name.length() > 1 && name.charAt(0) == '0')) {
                return -1;
            }
            long value = 0;
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value <= Integer.MAX_VALUE ? (int) value : -1;
        }
    }
}
