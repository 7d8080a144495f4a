package dev.switchboard.webhook.keypath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.webhook.keypath.Accessor.Index;
import dev.switchboard.webhook.keypath.Accessor.Property;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyPathParseTest {

    static Stream<Arguments> validKeyPaths() {
        return Stream.of(
                // the seed examples and the forms DESIGN.md names
                valid("headers['X-Device-Id']", "headers[\"X-Device-Id\"]", KeyPathRoot.HEADERS, p("X-Device-Id")),
                valid("body['X-Device-Id']", "body[\"X-Device-Id\"]", KeyPathRoot.BODY, p("X-Device-Id")),
                valid("body.device_id", "body.device_id", KeyPathRoot.BODY, p("device_id")),
                valid("query.homey", "query.homey", KeyPathRoot.QUERY, p("homey")),
                valid("body.devices[0].id", "body.devices[0].id", KeyPathRoot.BODY, p("devices"), i(0), p("id")),
                valid("body[\"a\\\"b\"]", "body['a\"b']", KeyPathRoot.BODY, p("a\"b")),
                valid("body.ünïcödé", "body.ünïcödé", KeyPathRoot.BODY, p("ünïcödé")),
                valid("body.$x", "body.$x", KeyPathRoot.BODY, p("$x")),
                valid("body._a1", "body._a1", KeyPathRoot.BODY, p("_a1")),
                valid("body['\\u0041']", "body.A", KeyPathRoot.BODY, p("A")),
                valid("body['\\x41']", "body.A", KeyPathRoot.BODY, p("A")),
                // roots alone
                valid("body", "body", KeyPathRoot.BODY),
                valid("headers", "headers", KeyPathRoot.HEADERS),
                valid("query", "query", KeyPathRoot.QUERY),
                // reserved words are fine after a dot
                valid("body.class", "body.class", KeyPathRoot.BODY, p("class")),
                valid("body.if.null.true", "body.if.null.true", KeyPathRoot.BODY, p("if"), p("null"), p("true")),
                // whitespace around tokens, ECMAScript style
                valid("  body.a  ", "body.a", KeyPathRoot.BODY, p("a")),
                valid("body . a", "body.a", KeyPathRoot.BODY, p("a")),
                valid("body[ 'a' ]", "body.a", KeyPathRoot.BODY, p("a")),
                valid("body [ 0 ] [\t1\t]", "body[0][1]", KeyPathRoot.BODY, i(0), i(1)),
                valid("\tbody\n.\r\na\u2028", "body.a", KeyPathRoot.BODY, p("a")),
                valid("\u00A0\uFEFF\u3000body.a", "body.a", KeyPathRoot.BODY, p("a")),
                // indexes
                valid("body[0]", "body[0]", KeyPathRoot.BODY, i(0)),
                valid("body[10]", "body[10]", KeyPathRoot.BODY, i(10)),
                valid("body[2147483647]", "body[2147483647]", KeyPathRoot.BODY, i(Integer.MAX_VALUE)),
                valid("body['0']", "body[\"0\"]", KeyPathRoot.BODY, p("0")),
                // string literal shapes
                valid("body['']", "body[\"\"]", KeyPathRoot.BODY, p("")),
                valid("body[\"\"]", "body[\"\"]", KeyPathRoot.BODY, p("")),
                valid("body['a b']", "body[\"a b\"]", KeyPathRoot.BODY, p("a b")),
                valid("body['a.b[0]']", "body[\"a.b[0]\"]", KeyPathRoot.BODY, p("a.b[0]")),
                valid("body['it\\'s']", "body[\"it's\"]", KeyPathRoot.BODY, p("it's")),
                valid("body[\"it's\"]", "body[\"it's\"]", KeyPathRoot.BODY, p("it's")),
                valid("body['\"']", "body['\"']", KeyPathRoot.BODY, p("\"")),
                valid("body['\\\\']", "body[\"\\\\\"]", KeyPathRoot.BODY, p("\\")),
                valid("body['\\n\\t\\r\\b\\f\\v']", "body[\"\\n\\t\\r\\b\\f\\v\"]", KeyPathRoot.BODY, p("\n\t\r\b\f\u000B")),
                valid("body['\\0']", "body[\"\\0\"]", KeyPathRoot.BODY, p("\0")),
                valid("body['\\0a']", "body[\"\\0a\"]", KeyPathRoot.BODY, p("\0a")),
                valid("body['\\x001']", "body[\"\\x001\"]", KeyPathRoot.BODY, p("\0" + "1")),
                valid("body['\\u{41}']", "body.A", KeyPathRoot.BODY, p("A")),
                valid("body['\\u{0000000041}']", "body.A", KeyPathRoot.BODY, p("A")),
                valid("body['\\u{1F600}']", "body[\"\uD83D\uDE00\"]", KeyPathRoot.BODY, p("\uD83D\uDE00")),
                valid("body['\\uD83D\\uDE00']", "body[\"\uD83D\uDE00\"]", KeyPathRoot.BODY, p("\uD83D\uDE00")),
                // a noncharacter is visible enough: it stays raw
                valid("body['\\u{10FFFF}']", "body[\"" + new String(Character.toChars(0x10FFFF)) + "\"]", KeyPathRoot.BODY,
                        p(new String(Character.toChars(0x10FFFF)))),
                valid("body['\\u{E0001}']", "body[\"\\u{E0001}\"]", KeyPathRoot.BODY, p(new String(Character.toChars(0xE0001)))),
                valid("body['\uD83D\uDE00']", "body[\"\uD83D\uDE00\"]", KeyPathRoot.BODY, p("\uD83D\uDE00")),
                valid("body['\\q\\-\\ü']", "body[\"q-ü\"]", KeyPathRoot.BODY, p("q-ü")),
                valid("body['\\u200B']", "body[\"\\u200B\"]", KeyPathRoot.BODY, p("\u200B")),
                valid("body['\\x85\\u2028']", "body[\"\\x85\\u2028\"]", KeyPathRoot.BODY, p("\u0085\u2028")),
                // line continuations contribute nothing
                valid("body['a\\\nb']", "body.ab", KeyPathRoot.BODY, p("ab")),
                valid("body['a\\\r\nb']", "body.ab", KeyPathRoot.BODY, p("ab")),
                valid("body['a\\\rb']", "body.ab", KeyPathRoot.BODY, p("ab")),
                valid("body['a\\\u2028b\\\u2029']", "body.ab", KeyPathRoot.BODY, p("ab")),
                valid("body['\\uD83D\\\n\\uDE00']", "body[\"\uD83D\uDE00\"]", KeyPathRoot.BODY, p("\uD83D\uDE00")),
                // unicode identifiers and identifier escapes
                valid("body.日本語", "body.日本語", KeyPathRoot.BODY, p("日本語")),
                valid("body.Ωmega", "body.Ωmega", KeyPathRoot.BODY, p("Ωmega")),
                valid("body.\uD801\uDC00x", "body.\uD801\uDC00x", KeyPathRoot.BODY, p("\uD801\uDC00x")),
                valid("body.a\u0301", "body.a\u0301", KeyPathRoot.BODY, p("a\u0301")),
                valid("body.\\u0061b", "body.ab", KeyPathRoot.BODY, p("ab")),
                valid("body.a\\u{62}", "body.ab", KeyPathRoot.BODY, p("ab")),
                valid("body.\\u{10400}", "body.\uD801\uDC00", KeyPathRoot.BODY, p("\uD801\uDC00")),
                valid("body.a\\u200Cb", "body.a\\u200Cb", KeyPathRoot.BODY, p("a\u200Cb")),
                valid("body.a\\u200D", "body.a\\u200D", KeyPathRoot.BODY, p("a\u200D")),
                valid("\\u0062ody.a", "body.a", KeyPathRoot.BODY, p("a")),
                // names that are not identifiers are quoted in the canonical form
                valid("body['1a']", "body[\"1a\"]", KeyPathRoot.BODY, p("1a")),
                valid("body['a-b']", "body[\"a-b\"]", KeyPathRoot.BODY, p("a-b")),
                valid("headers[0]", "headers[0]", KeyPathRoot.HEADERS, i(0)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("validKeyPaths")
    void parsesValidKeyPaths(String source, String canonical, KeyPathRoot root, List<Accessor> accessors) {
        KeyPath keyPath = KeyPath.parse(source);

        assertEquals(root, keyPath.root());
        assertEquals(accessors, keyPath.accessors());
        assertEquals(source, keyPath.source());
        assertEquals(canonical, keyPath.canonical());
        assertEquals(keyPath, KeyPath.parse(keyPath.canonical()));
        assertTrue(keyPath.canonical().length() <= source.length());
    }

    @Test
    void equalityIsStructuralNotTextual() {
        KeyPath dotted = KeyPath.parse("body.a[0]");
        KeyPath spaced = KeyPath.parse(" body [ \"a\" ] [0]");

        assertEquals(dotted, spaced);
        assertEquals(dotted.hashCode(), spaced.hashCode());
        assertNotEquals(dotted.source(), spaced.source());
        assertNotEquals(KeyPath.parse("body[0]"), KeyPath.parse("body['0']"));
        assertNotEquals(KeyPath.parse("body.a"), KeyPath.parse("query.a"));
        assertNotEquals(KeyPath.parse("headers['X-A']"), KeyPath.parse("headers['x-a']"));
    }

    @Test
    void ofBuildsTheCanonicalSource() {
        KeyPath built = KeyPath.of(KeyPathRoot.HEADERS, List.of(p("X-Device-Id")));

        assertEquals("headers[\"X-Device-Id\"]", built.source());
        assertEquals(KeyPath.parse("headers['X-Device-Id']"), built);
    }

    @Test
    void ofRejectsKeyPathsTooLongToSave() {
        KeyPathSyntaxException e = assertThrows(KeyPathSyntaxException.class,
                () -> KeyPath.of(KeyPathRoot.BODY, List.of(p("a".repeat(KeyPath.MAX_LENGTH)))));
        assertEquals(KeyPath.MAX_LENGTH, e.position());
    }

    @Test
    void accessorsRejectWhatTheLanguageCannotSpell() {
        assertThrows(IllegalArgumentException.class, () -> new Index(-1));
        assertThrows(IllegalArgumentException.class, () -> new Property("a\uD800"));
        assertThrows(IllegalArgumentException.class, () -> new Property("\uDC00a"));
        assertThrows(NullPointerException.class, () -> new Property(null));
    }

    @Test
    void accessorListIsUnmodifiable() {
        List<Accessor> accessors = KeyPath.parse("body.a").accessors();
        assertThrows(UnsupportedOperationException.class, () -> accessors.add(i(1)));
    }

    @Test
    void longestValidKeyPathsParseFast() {
        String dotted = "body" + ".a".repeat(510);
        String indexed = "body" + "[0]".repeat(340);
        String escaped = "body['" + "\\u{0041}".repeat(127) + "']";
        String spaced = "body" + " ".repeat(1018) + ".a";
        for (String source : List.of(dotted, indexed, escaped, spaced)) {
            assertTrue(source.length() <= KeyPath.MAX_LENGTH, () -> "length " + source.length());
        }
        assertEquals(KeyPath.MAX_LENGTH, dotted.length());
        assertEquals(KeyPath.MAX_LENGTH, spaced.length());

        // A bound on hanging (a backtracking parser takes minutes here), not a speed figure: this suite never
        // asserts on speed, which a busy machine cannot promise.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int round = 0; round < 200; round++) {
                assertEquals(510, KeyPath.parse(dotted).accessors().size());
                assertEquals(340, KeyPath.parse(indexed).accessors().size());
                assertEquals("A".repeat(127), ((Property) KeyPath.parse(escaped).accessors().get(0)).name());
                assertEquals(1, KeyPath.parse(spaced).accessors().size());
            }
        });
    }

    private static Arguments valid(String source, String canonical, KeyPathRoot root, Accessor... accessors) {
        return Arguments.of(source, canonical, root, List.of(accessors));
    }

    private static Property p(String name) {
        return new Property(name);
    }

    private static Index i(int index) {
        return new Index(index);
    }
}
