package dev.switchboard.webhook.keypath;

import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.hexValue;
import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isDecimalDigit;
import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isIdentifierPart;
import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isIdentifierStart;
import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isInvisible;
import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isLineTerminator;
import static dev.switchboard.webhook.keypath.EcmaScriptLexicon.isWhitespace;

import java.util.ArrayList;
import java.util.List;

/**
 * Single-pass parser for the key path language (see {@link KeyPath} for the grammar). It is a
 * loop over the accessors rather than a recursive descent because the grammar is flat: input of
 * any shape runs in time linear in its length and in constant stack depth.
 */
final class KeyPathParser {

    private static final String ROOTS = "body, headers or query";

    private final String src;
    private final StringBuilder text = new StringBuilder();
    private int pos;

    private KeyPathParser(String src) {
        this.src = src;
    }

    static KeyPath parse(String source) {
        if (source.length() > KeyPath.MAX_LENGTH) {
            throw new KeyPathSyntaxException(
                    "key path is longer than " + KeyPath.MAX_LENGTH + " characters", KeyPath.MAX_LENGTH);
        }
        return new KeyPathParser(source).keyPath();
    }

    private KeyPath keyPath() {
        if (src.isEmpty()) {
            throw error("key path is empty", 0);
        }
        skipWhitespace();
        KeyPathRoot root = root();
        List<Accessor> accessors = new ArrayList<>();
        for (skipWhitespace(); !atEnd(); skipWhitespace()) {
            char c = src.charAt(pos);
            if (c == '.') {
                pos++;
                skipWhitespace();
                accessors.add(new Accessor.Property(dottedName()));
            } else if (c == '[') {
                pos++;
                skipWhitespace();
                accessors.add(bracketed());
                skipWhitespace();
                expect(']');
            } else {
                throw unexpected("expected '.' or '['" + hintFor(c));
            }
        }
        return new KeyPath(src, root, accessors);
    }

    private KeyPathRoot root() {
        int start = pos;
        if (atEnd()) {
            throw error("expected " + ROOTS, pos);
        }
        if (!atIdentifierStart()) {
            throw unexpected("expected " + ROOTS);
        }
        // Read as an identifier so `bodyx` is reported as one unknown word, not as `body` + garbage.
        String word = identifierName();
        KeyPathRoot root = KeyPathRoot.ofKeyword(word);
        if (root == null) {
            throw error("unknown root '" + word + "'; expected " + ROOTS, start);
        }
        return root;
    }

    private String dottedName() {
        if (atEnd()) {
            throw error("expected an identifier after '.'", pos);
        }
        if (!atIdentifierStart()) {
            String hint = isDecimalDigit(src.charAt(pos)) ? " (write [0] to index an array)" : "";
            throw unexpected("expected an identifier after '.'" + hint);
        }
        return identifierName();
    }

    private Accessor bracketed() {
        String expected = "expected an index or a quoted string after '['";
        if (atEnd()) {
            throw error(expected, pos);
        }
        char c = src.charAt(pos);
        if (c == '\'' || c == '"') {
            return new Accessor.Property(stringLiteral(c));
        }
        if (isDecimalDigit(c)) {
            return new Accessor.Index(index());
        }
        if (c == '-') {
            throw error("an index must not be negative", pos);
        }
        if (c == ']') {
            throw error(expected, pos);
        }
        if (atIdentifierStart()) {
            throw error(expected + " (computed keys are not supported; quote the key)", pos);
        }
        throw unexpected(expected);
    }

    private int index() {
        int start = pos;
        if (src.charAt(pos) == '0' && pos + 1 < src.length() && isDecimalDigit(src.charAt(pos + 1))) {
            throw error("an index must not have leading zeros", start);
        }
        long value = 0;
        while (!atEnd() && isDecimalDigit(src.charAt(pos))) {
            value = value * 10 + (src.charAt(pos) - '0');
            if (value > Integer.MAX_VALUE) {
                throw error("an index must not be larger than " + Integer.MAX_VALUE, start);
            }
            pos++;
        }
        // ECMAScript would read 1.5, 1e3, 0x1F or 1_000 as other numbers; a key path only knows integers.
        if (!atEnd() && (src.charAt(pos) == '.' || src.charAt(pos) == '\\' || isIdentifierPart(src.codePointAt(pos)))) {
            throw error("an index must be a non-negative decimal integer", pos);
        }
        return (int) value;
    }

    private void expect(char c) {
        if (atEnd()) {
            throw error("expected '" + c + "'", pos);
        }
        if (src.charAt(pos) != c) {
            throw unexpected("expected '" + c + "'");
        }
        pos++;
    }

    // ---- identifiers ----------------------------------------------------------------------

    private boolean atIdentifierStart() {
        return src.charAt(pos) == '\\' || isIdentifierStart(src.codePointAt(pos));
    }

    /** Reads an IdentifierName; the caller has checked that one starts at {@code pos}. */
    private String identifierName() {
        text.setLength(0);
        boolean first = true;
        while (!atEnd()) {
            int start = pos;
            int cp;
            if (src.charAt(pos) == '\\') {
                if (pos + 1 >= src.length() || src.charAt(pos + 1) != 'u') {
                    throw error("only \\u escapes are allowed in an identifier", start);
                }
                pos += 2;
                cp = unicodeEscapeBody(start);
                if (!(first ? isIdentifierStart(cp) : isIdentifierPart(cp))) {
                    throw error("escape does not produce a character allowed "
                            + (first ? "at the start of an identifier" : "in an identifier"), start);
                }
            } else {
                cp = src.codePointAt(pos);
                if (!(first ? isIdentifierStart(cp) : isIdentifierPart(cp))) {
                    break;
                }
                if (isInvisible(cp)) {
                    throw invisible(cp, start);
                }
                pos += Character.charCount(cp);
            }
            text.appendCodePoint(cp);
            first = false;
        }
        return text.toString();
    }

    // ---- string literals ------------------------------------------------------------------

    private String stringLiteral(char quote) {
        int open = pos++;
        text.setLength(0);
        // Escapes may spell a surrogate pair in two halves (backslash-uD83D backslash-uDE00); remember where a high half started.
        int pendingHigh = -1;
        while (true) {
            if (atEnd()) {
                throw error("unterminated string literal", open);
            }
            int start = pos;
            char c = src.charAt(pos);
            if (c == quote) {
                pos++;
                break;
            }
            int cp;
            if (c == '\\') {
                cp = escape(open);
                if (cp < 0) {
                    continue; // line continuation: contributes nothing
                }
            } else {
                cp = src.codePointAt(pos);
                if (cp == '\n' || cp == '\r') {
                    throw error("a string literal must not contain a line break; write it as "
                            + KeyPathRenderer.escapeOf(cp), start);
                }
                if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                    throw error(describe(cp), start);
                }
                if (isInvisible(cp)) {
                    throw invisible(cp, start);
                }
                pos += Character.charCount(cp);
            }
            if (pendingHigh >= 0) {
                if (!Character.isLowSurrogate((char) cp) || cp > 0xFFFF) {
                    throw error("unpaired surrogate in escape", pendingHigh);
                }
                pendingHigh = -1;
            } else if (cp <= 0xFFFF && Character.isHighSurrogate((char) cp)) {
                pendingHigh = start;
            } else if (cp <= 0xFFFF && Character.isLowSurrogate((char) cp)) {
                throw error("unpaired surrogate in escape", start);
            }
            text.appendCodePoint(cp);
        }
        if (pendingHigh >= 0) {
            throw error("unpaired surrogate in escape", pendingHigh);
        }
        return text.toString();
    }

    /**
     * Reads the escape sequence at {@code pos} inside a string literal that opened at {@code open}.
     * Returns the code point (or lone surrogate half) it stands for, or -1 for a line continuation.
     */
    private int escape(int open) {
        int start = pos;
        if (pos + 1 >= src.length()) {
            throw error("unterminated string literal", open);
        }
        int e = src.codePointAt(pos + 1);
        pos += 1 + Character.charCount(e);
        switch (e) {
            case '\r':
                if (!atEnd() && src.charAt(pos) == '\n') {
                    pos++;
                }
                return -1;
            case '\n', 0x2028, 0x2029:
                return -1;
            case 'b':
                return '\b';
            case 't':
                return '\t';
            case 'n':
                return '\n';
            case 'v':
                return 0x0B;
            case 'f':
                return '\f';
            case 'r':
                return '\r';
            case '0':
                if (!atEnd() && isDecimalDigit(src.charAt(pos))) {
                    throw error("octal escapes are not allowed; use \\x or \\u", start);
                }
                return 0;
            case '1', '2', '3', '4', '5', '6', '7':
                throw error("octal escapes are not allowed; use \\x or \\u", start);
            case '8', '9':
                throw error("\\8 and \\9 are not valid escapes", start);
            case 'x': {
                int hi = pos < src.length() ? hexValue(src.charAt(pos)) : -1;
                int lo = pos + 1 < src.length() ? hexValue(src.charAt(pos + 1)) : -1;
                if (hi < 0 || lo < 0) {
                    throw error("invalid \\x escape; expected two hexadecimal digits", start);
                }
                pos += 2;
                return hi * 16 + lo;
            }
            case 'u':
                return unicodeEscapeBody(start);
            default:
                // Any other character escapes to itself, as in ECMAScript, but must still be visible.
                if (e <= 0xFFFF && Character.isSurrogate((char) e)) {
                    throw error(describe(e), start + 1);
                }
                if (isInvisible(e)) {
                    throw invisible(e, start + 1);
                }
                return e;
        }
    }

    /** Reads {@code XXXX} or {@code {X...}} after a backslash and 'u'; {@code start} is where the backslash is. */
    private int unicodeEscapeBody(int start) {
        if (!atEnd() && src.charAt(pos) == '{') {
            pos++;
            int value = 0;
            int digits = 0;
            while (!atEnd() && hexValue(src.charAt(pos)) >= 0) {
                value = value * 16 + hexValue(src.charAt(pos));
                if (value > Character.MAX_CODE_POINT) {
                    throw error("invalid \\u{...} escape; the code point is larger than 10FFFF", start);
                }
                digits++;
                pos++;
            }
            if (digits == 0 || atEnd() || src.charAt(pos) != '}') {
                throw error("invalid \\u{...} escape; expected hexadecimal digits and '}'", start);
            }
            pos++;
            return value;
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = pos < src.length() ? hexValue(src.charAt(pos)) : -1;
            if (digit < 0) {
                throw error("invalid \\u escape; expected four hexadecimal digits or {...}", start);
            }
            value = value * 16 + digit;
            pos++;
        }
        return value;
    }

    // ---- whitespace and errors --------------------------------------------------------------

    private void skipWhitespace() {
        while (!atEnd()) {
            char c = src.charAt(pos);
            if (!isWhitespace(c) && !isLineTerminator(c)) {
                return;
            }
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= src.length();
    }

    private static String hintFor(char c) {
        if (c == '(') {
            return " (calls are not supported)";
        }
        if ("+-*/%=<>!&|^~?:,;".indexOf(c) >= 0) {
            return " (operators are not supported)";
        }
        return "";
    }

    private KeyPathSyntaxException unexpected(String expectation) {
        return error("unexpected " + describe(src.codePointAt(pos)) + "; " + expectation, pos);
    }

    private static KeyPathSyntaxException invisible(int cp, int position) {
        return error(describe(cp) + " must be written as an escape: " + KeyPathRenderer.escapeOf(cp), position);
    }

    private static String describe(int cp) {
        if (cp <= 0xFFFF && Character.isSurrogate((char) cp)) {
            return "unpaired surrogate " + codePointLabel(cp);
        }
        if (isInvisible(cp)) {
            return "invisible character " + codePointLabel(cp);
        }
        return "character '" + new String(Character.toChars(cp)) + "'";
    }

    private static String codePointLabel(int cp) {
        return String.format("U+%04X", cp);
    }

    private static KeyPathSyntaxException error(String reason, int position) {
        return new KeyPathSyntaxException(reason, position);
    }
}
