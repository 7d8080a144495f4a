package dev.switchboard.webhook.keypath;

import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isDecimalDigit;
import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isIdentifierName;
import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isInvisible;

import java.util.List;

/**
 * Writes the canonical form of a key path: no whitespace, {@code .name} when the name is an
 * identifier, otherwise a quoted string with as few escapes as possible.
 *
 * <p>Every choice here keeps one promise: the canonical form of a parsed key path is never longer
 * than its source. Each character is written at most as long as the shortest way the parser
 * accepts it (raw when visible, the shortest escape otherwise) and the quote needing fewer escapes
 * is chosen, so a canonical form always fits the length limit and parses back.
 */
final class KeyPathRenderer {

    private KeyPathRenderer() {
    }

    static String render(KeyPathRoot root, List<? extends Accessor> accessors) {
        StringBuilder out = new StringBuilder(root.keyword());
        for (Accessor accessor : accessors) {
            if (accessor instanceof Accessor.Index index) {
                out.append('[').append(index.index()).append(']');
            } else if (accessor instanceof Accessor.Property property) {
                String name = property.name();
                if (isIdentifierName(name)) {
                    out.append('.');
                    appendIdentifier(out, name);
                } else {
                    appendStringLiteral(out, name);
                }
            }
        }
        return out.toString();
    }

    /** The shortest escape for {@code cp} inside a string literal, for error messages and rendering. */
    static String escapeOf(int cp) {
        return appendEscape(new StringBuilder(), cp, false).toString();
    }

    private static void appendIdentifier(StringBuilder out, String name) {
        name.codePoints().forEach(cp -> {
            if (isInvisible(cp)) {
                // Only ZWNJ and ZWJ can get here; identifiers allow nothing but \\u escapes.
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
    }

    private static void appendStringLiteral(StringBuilder out, String name) {
        long doubles = name.chars().filter(c -> c == '"').count();
        long singles = name.chars().filter(c -> c == '\'').count();
        char quote = singles < doubles ? '\'' : '"';
        out.append('[').append(quote);
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                out.append('\\').append((char) cp);
            } else if (cp == '\n' || cp == '\r' || isInvisible(cp)) {
                boolean digitFollows = i < name.length() && isDecimalDigit(name.charAt(i));
                appendEscape(out, cp, digitFollows);
            } else {
                out.appendCodePoint(cp);
            }
        }
        out.append(quote).append(']');
    }

    private static StringBuilder appendEscape(StringBuilder out, int cp, boolean digitFollows) {
        return switch (cp) {
            case '\b' -> out.append("\\b");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case 0x0B -> out.append("\\v");
            case '\f' -> out.append("\\f");
            case '\r' -> out.append("\\r");
            // \0 followed by a digit would read as a (forbidden) octal escape.
            case 0 -> out.append(digitFollows ? "\\x00" : "\\0");
            default -> {
                if (cp <= 0xFF) {
                    yield out.append(String.format("\\x%02X", cp));
                }
                if (cp <= 0xFFFF) {
                    yield out.append(String.format("\\u%04X", cp));
                }
                yield out.append(String.format("\\u{%X}", cp));
            }
        };
    }
}
