package dev.switchboard.webhook.keypath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.enumValues;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.oneOf;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.support.UnicodeStrings;
import dev.switchboard.webhook.keypath.Accessor.Index;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Properties over generated key paths, checked with QuickTheories. The renderings here are written
 * independently of {@link KeyPathRenderer} so that a shared misunderstanding cannot make both sides agree.
 *
 * <p>A failure reports the smallest falsifying example found and the seed; rerun with
 * {@code -DQT_SEED=<seed>} to reproduce it.
 */
class KeyPathPropertyTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    enum Style { DOTTED, SINGLE_QUOTED, DOUBLE_QUOTED_ESCAPED, ANYTHING_GOES }

    /** A root and its accessors: the tree a key path stands for. */
    record Tree(KeyPathRoot root, List<Accessor> accessors) {
        KeyPath build() {
            return KeyPath.of(root, accessors);
        }

        /** Whether {@link KeyPath#of} accepts it, i.e. its canonical form is not too long. */
        boolean fits() {
            try {
                return build().canonical().length() <= KeyPath.MAX_LENGTH;
            } catch (KeyPathSyntaxException tooLong) {
                return false;
            }
        }

        @Override
        public String toString() {
            return root + " " + visible(accessors.toString());
        }
    }

    /** A tree written out by {@link Rendering} in one style, with the seed of its random choices. */
    record Rendered(Tree tree, Style style, long seed, String source) {
        @Override
        public String toString() {
            return style + " seed=" + seed + " source=\"" + visible(source) + "\" tree=" + tree;
        }
    }

    /**
     * QuickTheories skips an example that repeats an earlier one, so the counts below are a little above
     * the number of distinct examples wanted. Shrinking is bounded so that a failure reports in seconds.
     */
    private static QuickTheory theory(int examples) {
        return qt().withExamples(examples).withShrinkCycles(20_000).withGenerateAttempts(100);
    }

    // ---- (1) parse(render(ast)) == ast --------------------------------------------------------

    @Test
    void parsingARenderingGivesBackTheTree() {
        theory(1550).forAll(renderings()).checkAssert(rendered -> {
            String source = rendered.source();

            KeyPath parsed = KeyPath.parse(source);

            assertEquals(rendered.tree().root(), parsed.root(), source);
            assertEquals(rendered.tree().accessors(), parsed.accessors(), source);
            assertEquals(source, parsed.source());
            assertTrue(parsed.canonical().length() <= source.length(), () -> parsed.canonical() + " from " + source);
        });
    }

    // ---- (2) any string parses or fails with a position in range -------------------------------

    @Test
    void keyPathLikeStringsParseOrFailWithAPosition() {
        theory(3000).forAll(keyPathLikeStrings()).checkAssert(KeyPathPropertyTest::checkParsesOrFailsCleanly);
    }

    @Test
    void arbitraryStringsParseOrFailWithAPosition() {
        theory(1050).forAll(arbitraryStrings()).checkAssert(KeyPathPropertyTest::checkParsesOrFailsCleanly);
    }

    /** Valid key paths with a few edits reach the errors deep inside literals and escapes. */
    @Test
    void damagedRenderingsParseOrFailWithAPosition() {
        theory(5000).forAll(damagedRenderings()).checkAssert(KeyPathPropertyTest::checkParsesOrFailsCleanly);
    }

    private static void checkParsesOrFailsCleanly(String source) {
        KeyPath parsed;
        try {
            parsed = KeyPath.parse(source);
        } catch (KeyPathSyntaxException e) {
            assertTrue(e.position() >= 0 && e.position() <= source.length(),
                    () -> "position " + e.position() + " outside 0.." + source.length());
            assertEquals(e.reason() + " at position " + e.position(), e.getMessage());
            return;
        }
        assertEquals(source, parsed.source());
        assertTrue(parsed.canonical().length() <= source.length());
        assertEquals(parsed, KeyPath.parse(parsed.canonical()));
    }

    // ---- (3) canonical() round-trips ------------------------------------------------------------

    @Test
    void canonicalFormParsesBackToTheSameTree() {
        theory(1550).forAll(buildableTrees()).checkAssert(tree -> {
            KeyPath built = tree.build();
            String canonical = built.canonical();

            KeyPath reparsed = KeyPath.parse(canonical);

            assertEquals(built, reparsed);
            assertEquals(tree.accessors(), reparsed.accessors());
            assertEquals(canonical, reparsed.canonical());
            assertEquals(canonical, built.source());
        });
    }

    @Test
    void canonicalFormDependsOnlyOnTheTree() {
        theory(550).forAll(renderings()).checkAssert(rendered ->
                assertEquals(rendered.tree().build().canonical(), KeyPath.parse(rendered.source()).canonical(),
                        rendered::toString));
    }

    // ---- evaluation finds what was put where the key path points --------------------------------

    @Test
    void evaluationFindsTheValueAtThePath() {
        theory(1050).forAll(buildableTrees(), names()).checkAssert((tree, value) -> {
            KeyPathRoot root = tree.root();
            List<Accessor> accessors = tree.accessors();
            JsonNode node = NODES.textNode(value);
            for (int i = accessors.size() - 1; i >= 0; i--) {
                node = wrap(node, accessors.get(i), root == KeyPathRoot.HEADERS && i == 0);
            }
            JsonNode empty = NODES.objectNode();
            JsonNode body = root == KeyPathRoot.BODY ? node : empty;
            JsonNode headers = root == KeyPathRoot.HEADERS ? node : empty;
            JsonNode query = root == KeyPathRoot.QUERY ? node : empty;

            List<String> found = KeyPath.parse(tree.build().canonical()).evaluate(body, headers, query);

            assertEquals(List.of(value), found);
        });
    }

    private static JsonNode wrap(JsonNode inner, Accessor accessor, boolean headerName) {
        if (accessor instanceof Index index && index.index() < 4) {
            ArrayNode array = NODES.arrayNode();
            for (int i = 0; i < index.index(); i++) {
                array.add(NODES.objectNode());
            }
            return array.add(inner);
        }
        String key = accessor instanceof Index index ? String.valueOf(index.index()) : ((Accessor.Property) accessor).name();
        ObjectNode object = NODES.objectNode();
        object.set(headerName ? key.toLowerCase(Locale.ROOT) : key, inner);
        return object;
    }

    // ---- generators ------------------------------------------------------------------------------

    private static Gen<KeyPathRoot> roots() {
        return enumValues(KeyPathRoot.class);
    }

    private static Gen<List<Accessor>> accessorLists() {
        Gen<Accessor> properties = names().map(Accessor.Property::new);
        Gen<Accessor> indexes = oneOf(range(0, 12), range(0, Integer.MAX_VALUE)).map(Index::new);
        return lists().of(frequency(Pair.of(3, properties), Pair.of(1, indexes))).ofSizeBetween(0, 8);
    }

    private static Gen<Tree> trees() {
        return roots().zip(accessorLists(), Tree::new);
    }

    /** Trees whose canonical form is within {@link KeyPath#MAX_LENGTH}; longer ones are regenerated. */
    private static Gen<Tree> buildableTrees() {
        return trees().assuming(Tree::fits);
    }

    /** Trees rendered in a random style with random (seeded) spelling choices, at most MAX_LENGTH chars. */
    private static Gen<Rendered> renderings() {
        return trees().zip(enumValues(Style.class), longs().all(), (tree, style, seed) -> new Rendered(tree, style, seed,
                        new Rendering(new Random(seed), style).render(tree.root(), tree.accessors())))
                .assuming(rendered -> rendered.source().length() <= KeyPath.MAX_LENGTH);
    }

    private static Gen<String> names() {
        Gen<String> asciiIdentifiers = charsFrom("abcxyzXYZ_$").map(c -> String.valueOf(c))
                .zip(stringsOf("abcXYZ_$019", 0, 8), String::concat);
        Gen<String> integers = oneOf(
                range(0, 100).map(i -> String.valueOf(i)),
                pick(List.of("01", "-1", "1.5", "2147483648", "4294967295")));
        Gen<String> anything = lists().of(codePoints()).ofSizeBetween(0, 10).map(KeyPathPropertyTest::fromCodePoints);
        return frequency(
                Pair.of(3, asciiIdentifiers),
                Pair.of(1, integers),
                Pair.of(4, anything));
    }

    /** Code points that stress quoting, escaping and identifier rules; never a lone surrogate. */
    private static Gen<Integer> codePoints() {
        int surrogates = Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1;
        return frequency(
                Pair.of(6, range(' ', '~')),
                Pair.of(3, pick(List.of((int) '\'', (int) '"', (int) '\\', (int) '0', (int) '1', (int) '8'))),
                Pair.of(2, range(0, 0x1F)),
                Pair.of(2, pick(List.of(0x7F, 0x85, 0xA0, 0xAD, 0x200B, 0x200C, 0x200D, 0x2028,
                        0x2029, 0x202E, 0xFEFF, 0x3000, 0xE0001))),
                Pair.of(2, pick(List.of(0xE9, 0xFC, 0x3A9, 0x65E5, 0x672C, 0x301, 0x2E2F, 0xB7,
                        0x10400, 0x1F600, 0x10FFFF))),
                // Any BMP code point above ASCII, skipping the surrogate block without rejections.
                Pair.of(1, range(0x80, 0xFFFF - surrogates)
                        .map(cp -> cp < Character.MIN_SURROGATE ? cp : cp + surrogates)),
                Pair.of(1, range(0x10000, 0x10FFFF)));
    }

    private static Gen<String> keyPathLikeStrings() {
        Gen<String> prefix = pick(List.of("body", "headers", "query", "", " body", "bod", "\\u0062ody", "body.a"));
        Gen<String> rest = lists().of(frequency(
                        Pair.of(8, charsFrom(".[]'\"\\ux{}0123456789abAZ_$-+() \t\n\r\u2028").map(c -> String.valueOf(c))),
                        Pair.of(1, pick(List.of("\\u", "\\u{", "\\x", "'", "\"", "[0]", ".a", "['a']",
                                "\uD83D", "\uDE00", "\uD83D\uDE00", "\u200C", "\u00A0", "ü", "\\\n")))))
                .ofSizeBetween(0, 40).map(parts -> String.join("", parts));
        return prefix.zip(rest, range(1, 40), (p, r, repeat) ->
                repeat == 40 ? p + r.repeat(1 + 1100 / Math.max(1, r.length())) : p + r)
                .describedAs(s -> "\"" + visible(s) + "\" (" + s.length() + " chars)");
    }

    /** A rendering with 1 to 3 random edits: cut off, a piece removed, a fragment inserted or a piece repeated. */
    private static Gen<String> damagedRenderings() {
        return renderings().zip(range(1, 3), longs().all(), (rendered, edits, seed) -> {
                    Random random = new Random(seed);
                    StringBuilder text = new StringBuilder(rendered.source());
                    for (int i = 0; i < edits; i++) {
                        int at = random.nextInt(text.length() + 1);
                        if (random.nextBoolean()) {
                            // Half the time just after a quote, i.e. often inside a string literal.
                            int quote = indexOfQuote(text, at);
                            at = quote >= 0 ? quote + 1 : at;
                        }
                        switch (random.nextInt(4)) {
                            case 0 -> text.setLength(at);
                            case 1 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(3)));
                            case 2 -> text.insert(at, DAMAGE[random.nextInt(DAMAGE.length)]);
                            default -> text.insert(at, text.substring(at, Math.min(text.length(), at + 1 + random.nextInt(6))));
                        }
                    }
                    return text.toString();
                })
                .describedAs(s -> "\"" + visible(s) + "\" (" + s.length() + " chars)");
    }

    /** The first quote at or after {@code from}, else the last one before it, else -1. */
    private static int indexOfQuote(CharSequence text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '\'' || text.charAt(i) == '"') {
                return i;
            }
        }
        for (int i = Math.min(from, text.length()) - 1; i >= 0; i--) {
            if (text.charAt(i) == '\'' || text.charAt(i) == '"') {
                return i;
            }
        }
        return -1;
    }

    private static final String[] DAMAGE = {"'", "\"", "\\", "\\u", "\\u{", "\\u{110000}", "\\x", "\\x4", "\\0", "\\08",
        "\\1", "\\9", "[", "]", ".", "..", "[-1]", "[01]", "[2147483648]", "[1.5]", "[a]", "\uD83D", "\uDE00", "\n",
        "\r", "\u2028", "\u200C", "\u00A0", "\u0000", " ", "(", "+", "\\u0030", "\\u{D83D}",
        // A high half escaped just before a closing quote, a low half alone, a backslash before an invisible char.
        "\\uD83D'", "\\uD83D\"", "\\u{DBFF}'", "\\uDE00", "\\\u200C", "\\\u00A0", "\\\u0000", "\\\uFEFF", "\\\u2029"};

    /** Any UTF-16 text of {@code minLength..maxLength} chars, lone surrogates included. */
    private static Gen<String> anyText(int minLength, int maxLength) {
        return UnicodeStrings.strings(minLength, maxLength, "", true);
    }

    private static Gen<String> arbitraryStrings() {
        return oneOf(
                anyText(0, 60),
                anyText(1000, 1100),
                anyText(0, 60).map(s -> "body['" + s + "']"),
                anyText(0, 60).map(s -> "body." + s))
                .describedAs(s -> "\"" + visible(s) + "\" (" + s.length() + " chars)");
    }

    private static Gen<Character> charsFrom(String chars) {
        return range(0, chars.length() - 1).map(i -> chars.charAt(i));
    }

    private static Gen<String> stringsOf(String chars, int minLength, int maxLength) {
        return lists().of(charsFrom(chars)).ofSizeBetween(minLength, maxLength).map(cs -> {
            StringBuilder out = new StringBuilder(cs.size());
            cs.forEach(out::append);
            return out.toString();
        });
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder out = new StringBuilder();
        codePoints.forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Printable ASCII kept, everything else as a {@code \\uXXXX} escape, so failure reports are legible. */
    private static String visible(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= ' ' && c <= '~') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out.toString();
    }

    // ---- an independent renderer ---------------------------------------------------------------

    /** Writes a tree as key path text, choosing freely among the spellings the language allows. */
    private static final class Rendering {

        private static final String[] WHITESPACE = {" ", "\t", "\n", "\r\n", "\u000B", "\f", "\u00A0", "\uFEFF", "\u2028", "\u3000"};
        private static final String[] LINE_CONTINUATIONS = {"\\\n", "\\\r\n", "\\\r", "\\\u2028", "\\\u2029"};
        private static final String SHORT_ESCAPES = "\b\t\n\u000B\f\r";
        private static final String SHORT_ESCAPE_LETTERS = "btnvfr";

        private final Random random;
        private final Style style;
        private final StringBuilder out = new StringBuilder();

        Rendering(Random random, Style style) {
            this.random = random;
            this.style = style;
        }

        String render(KeyPathRoot root, List<Accessor> accessors) {
            space();
            if (style == Style.ANYTHING_GOES && chance(10)) {
                identifier(root.keyword(), true);
            } else {
                out.append(root.keyword());
            }
            for (Accessor accessor : accessors) {
                space();
                if (accessor instanceof Index index) {
                    out.append('[');
                    space();
                    out.append(index.index());
                    space();
                    out.append(']');
                } else {
                    property(((Accessor.Property) accessor).name());
                }
            }
            space();
            return out.toString();
        }

        private void property(String name) {
            boolean dottable = isPlainIdentifier(name);
            boolean dotted = switch (style) {
                case DOTTED -> dottable;
                case SINGLE_QUOTED, DOUBLE_QUOTED_ESCAPED -> false;
                case ANYTHING_GOES -> dottable && random.nextBoolean();
            };
            if (dotted) {
                out.append('.');
                space();
                identifier(name, style == Style.ANYTHING_GOES);
                return;
            }
            char quote = switch (style) {
                case SINGLE_QUOTED -> '\'';
                case DOUBLE_QUOTED_ESCAPED -> '"';
                default -> random.nextBoolean() ? '\'' : '"';
            };
            out.append('[');
            space();
            stringLiteral(name, quote, style == Style.DOUBLE_QUOTED_ESCAPED || style == Style.ANYTHING_GOES);
            space();
            out.append(']');
        }

        /** Letters, digits, $ and _ only: a conservative subset of what ECMAScript allows after a dot. */
        private static boolean isPlainIdentifier(String name) {
            return name.matches("[\\p{L}$_][\\p{L}\\p{Nd}$_]*") && name.indexOf(0x2E2F) < 0;
        }

        private void identifier(String name, boolean escapeSome) {
            name.codePoints().forEach(cp -> {
                if (escapeSome && chance(4)) {
                    out.append(cp <= 0xFFFF && random.nextBoolean() ? String.format("\\u%04x", cp) : braced(cp));
                } else {
                    out.appendCodePoint(cp);
                }
            });
        }

        private void stringLiteral(String name, char quote, boolean escapeFreely) {
            out.append(quote);
            int[] cps = name.codePoints().toArray();
            for (int i = 0; i < cps.length; i++) {
                int cp = cps[i];
                boolean digitFollows = i + 1 < cps.length && cps[i + 1] >= '0' && cps[i + 1] <= '9';
                boolean mustEscape = cp == quote || cp == '\\' || cp == '\n' || cp == '\r' || isInvisible(cp);
                if (mustEscape || (escapeFreely && chance(3))) {
                    out.append(escape(cp, digitFollows));
                } else {
                    out.appendCodePoint(cp);
                }
                if (escapeFreely && chance(12)) {
                    out.append(pick(LINE_CONTINUATIONS));
                }
            }
            out.append(quote);
        }

        private String escape(int cp, boolean digitFollows) {
            while (true) {
                switch (random.nextInt(6)) {
                    case 0:
                        int shortIndex = SHORT_ESCAPES.indexOf(cp);
                        if (shortIndex >= 0) {
                            return "\\" + SHORT_ESCAPE_LETTERS.charAt(shortIndex);
                        }
                        if (cp == 0 && !digitFollows) {
                            return "\\0";
                        }
                        break;
                    case 1:
                        if (cp <= 0xFF) {
                            return String.format(random.nextBoolean() ? "\\x%02x" : "\\x%02X", cp);
                        }
                        break;
                    case 2:
                        if (cp <= 0xFFFF) {
                            return String.format("\\u%04X", cp);
                        }
                        char[] pair = Character.toChars(cp);
                        return String.format("\\u%04x\\u%04X", (int) pair[0], (int) pair[1]);
                    case 3:
                        return braced(cp);
                    case 4:
                        boolean identity = !isInvisible(cp) && cp != '\n' && cp != '\r'
                                && "bfnrtvxu0123456789".indexOf(cp) < 0;
                        if (identity) {
                            return "\\" + new String(Character.toChars(cp));
                        }
                        break;
                    default:
                        return String.format("\\u{%s%X}", "0".repeat(random.nextInt(3)), cp);
                }
            }
        }

        private String braced(int cp) {
            return String.format("\\u{%X}", cp);
        }

        private static boolean isInvisible(int cp) {
            int type = Character.getType(cp);
            return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || (type == Character.SPACE_SEPARATOR && cp != ' ');
        }

        private void space() {
            if (style == Style.ANYTHING_GOES && chance(4)) {
                int pieces = 1 + random.nextInt(2);
                for (int i = 0; i < pieces; i++) {
                    out.append(pick(WHITESPACE));
                }
            }
        }

        private boolean chance(int oneIn) {
            return random.nextInt(oneIn) == 0;
        }

        private String pick(String[] options) {
            return options[random.nextInt(options.length)];
        }
    }
}
