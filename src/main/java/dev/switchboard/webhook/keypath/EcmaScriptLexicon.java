package dev.switchboard.webhook.keypath;

/**
 * The character classes of the ECMAScript lexical grammar that key paths borrow, shared by the
 * parser and the canonical renderer so that what one writes the other always reads back.
 *
 * <p>Identifier classes come from the JDK's Unicode tables, so the Unicode version is the JDK's
 * (Unicode 13 on Java 17), not necessarily the one of the newest ECMAScript edition.
 */
final class EcmaScriptLexicon {

    static final int ZWNJ = 0x200C;
    static final int ZWJ = 0x200D;

    private EcmaScriptLexicon() {
    }

    /** ECMAScript WhiteSpace: TAB, VT, FF, ZWNBSP and every Space_Separator. */
    static boolean isWhitespace(int cp) {
        return cp == '\t' || cp == 0x0B || cp == '\f' || cp == 0xFEFF
                || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** ECMAScript LineTerminator: LF, CR, LINE SEPARATOR, PARAGRAPH SEPARATOR. */
    static boolean isLineTerminator(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029;
    }

    static boolean isIdentifierStart(int cp) {
        if (cp == '$' || cp == '_') {
            return true;
        }
        // U+2E2F is a letter to the JDK but Pattern_Syntax to Unicode, hence not ID_Start.
        return cp != 0x2E2F && Character.isUnicodeIdentifierStart(cp);
    }

    static boolean isIdentifierPart(int cp) {
        if (cp == '$' || cp == ZWNJ || cp == ZWJ) {
            return true;
        }
        // The JDK counts "ignorable" controls and format characters as identifier parts;
        // Unicode's ID_Continue (which ECMAScript uses) does not.
        return cp != 0x2E2F && Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp);
    }

    /** Whether {@code name} can be written after a dot, i.e. is an ECMAScript IdentifierName. */
    static boolean isIdentifierName(String name) {
        if (name.isEmpty() || !isIdentifierStart(name.codePointAt(0))) {
            return false;
        }
        for (int i = Character.charCount(name.codePointAt(0)); i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (!isIdentifierPart(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /**
     * Characters that key paths only accept as escapes, never raw: controls, format characters
     * (ZWJ, bidi overrides, BOM...), line and paragraph separators and every space but U+0020.
     * Stricter than ECMAScript on purpose: a saved key path must not hide characters from the
     * person reading it, and it keeps {@link KeyPath#canonical()} no longer than the source.
     */
    static boolean isInvisible(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> true;
            case Character.SPACE_SEPARATOR -> cp != ' ';
            default -> false;
        };
    }

    static boolean isDecimalDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
