package dev.switchboard.webhook.keypath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyPathSyntaxErrorTest {

    static Stream<Arguments> malformedKeyPaths() {
        return Stream.of(
                // roots
                invalid("", 0, "key path is empty"),
                invalid("   ", 3, "expected body, headers or query"),
                invalid("foo.x", 0, "unknown root 'foo'; expected body, headers or query"),
                invalid("Body.x", 0, "unknown root 'Body'"),
                invalid("bodyx", 0, "unknown root 'bodyx'"),
                invalid("  header.a", 2, "unknown root 'header'"),
                invalid(".a", 0, "unexpected character '.'; expected body, headers or query"),
                invalid("'body'", 0, "unexpected character '''; expected body, headers or query"),
                invalid("\\u0062odx", 0, "unknown root 'bodx'"),
                // dots
                invalid("body.", 5, "expected an identifier after '.'"),
                invalid("body. ", 6, "expected an identifier after '.'"),
                invalid("body..a", 5, "unexpected character '.'; expected an identifier after '.'"),
                invalid("body.0", 5, "expected an identifier after '.' (write [0] to index an array)"),
                invalid("body.-a", 5, "unexpected character '-'; expected an identifier after '.'"),
                invalid("body.'a'", 5, "unexpected character '''; expected an identifier after '.'"),
                invalid("body.a.", 7, "expected an identifier after '.'"),
                // brackets
                invalid("body[", 5, "expected an index or a quoted string after '['"),
                invalid("body[]", 5, "expected an index or a quoted string after '['"),
                invalid("body[ ", 6, "expected an index or a quoted string after '['"),
                invalid("body[a]", 5, "computed keys are not supported"),
                invalid("body[body.a]", 5, "computed keys are not supported"),
                invalid("body[+1]", 5, "unexpected character '+'; expected an index or a quoted string after '['"),
                invalid("body[0", 6, "expected ']'"),
                invalid("body[0 1]", 7, "unexpected character '1'; expected ']'"),
                invalid("body['a'", 8, "expected ']'"),
                invalid("body['a' 'b']", 9, "unexpected character '''; expected ']'"),
                invalid("headers['X-Device-Id'", 21, "expected ']'"),
                invalid("body]", 4, "unexpected character ']'; expected '.' or '['"),
                // indexes
                invalid("body[01]", 5, "an index must not have leading zeros"),
                invalid("body[00]", 5, "an index must not have leading zeros"),
                invalid("body[-1]", 5, "an index must not be negative"),
                invalid("body[1.5]", 6, "an index must be a non-negative decimal integer"),
                invalid("body[1e3]", 6, "an index must be a non-negative decimal integer"),
                invalid("body[0x1]", 6, "an index must be a non-negative decimal integer"),
                invalid("body[1_0]", 6, "an index must be a non-negative decimal integer"),
                invalid("body[1n]", 6, "an index must be a non-negative decimal integer"),
                invalid("body[2147483648]", 5, "an index must not be larger than 2147483647"),
                invalid("body[99999999999999999999999]", 5, "an index must not be larger than 2147483647"),
                // after an accessor
                invalid("body['a']x", 9, "unexpected character 'x'; expected '.' or '['"),
                invalid("body.a b", 7, "unexpected character 'b'; expected '.' or '['"),
                invalid("body()", 4, "unexpected character '('; expected '.' or '[' (calls are not supported)"),
                invalid("body.a()", 6, "(calls are not supported)"),
                invalid("body.a+1", 6, "unexpected character '+'; expected '.' or '[' (operators are not supported)"),
                invalid("body.a || body.b", 7, "(operators are not supported)"),
                invalid("body?.a", 4, "(operators are not supported)"),
                invalid("body/*c*/.a", 4, "(operators are not supported)"),
                invalid("body.a;", 6, "(operators are not supported)"),
                invalid("body`a`", 4, "unexpected character '`'"),
                // string literals
                invalid("body['a", 5, "unterminated string literal"),
                invalid("body[\"a'", 5, "unterminated string literal"),
                invalid("body['a\\", 5, "unterminated string literal"),
                invalid("body['a\\'", 5, "unterminated string literal"),
                invalid("body['a\nb']", 7, "a string literal must not contain a line break; write it as \\n"),
                invalid("body['a\rb']", 7, "a string literal must not contain a line break; write it as \\r"),
                invalid("body[\"a\\1\"]", 7, "octal escapes are not allowed"),
                invalid("body['\\01']", 6, "octal escapes are not allowed"),
                invalid("body['\\00']", 6, "octal escapes are not allowed"),
                invalid("body['\\7']", 6, "octal escapes are not allowed"),
                invalid("body['\\8']", 6, "\\8 and \\9 are not valid escapes"),
                invalid("body['\\9']", 6, "\\8 and \\9 are not valid escapes"),
                invalid("body['\\x4']", 6, "invalid \\x escape; expected two hexadecimal digits"),
                invalid("body['\\xZZ']", 6, "invalid \\x escape"),
                invalid("body['\\x", 6, "invalid \\x escape"),
                invalid("body['\\u12']", 6, "invalid \\u escape; expected four hexadecimal digits or {...}"),
                invalid("body['\\u']", 6, "invalid \\u escape"),
                invalid("body['\\uGGGG']", 6, "invalid \\u escape"),
                invalid("body['\\u{}']", 6, "invalid \\u{...} escape; expected hexadecimal digits and '}'"),
                invalid("body['\\u{41']", 6, "invalid \\u{...} escape; expected hexadecimal digits and '}'"),
                invalid("body['\\u{4G}']", 6, "invalid \\u{...} escape"),
                invalid("body['\\u{110000}']", 6, "invalid \\u{...} escape; the code point is larger than 10FFFF"),
                invalid("body['\\u{FFFFFFFFFFFF}']", 6, "the code point is larger than 10FFFF"),
                // surrogates
                invalid("body['\\uD800']", 6, "unpaired surrogate in escape"),
                invalid("body['\\uDC00']", 6, "unpaired surrogate in escape"),
                invalid("body['x\\uD800y']", 7, "unpaired surrogate in escape"),
                invalid("body['\\uD800\\uD800\\uDC00']", 6, "unpaired surrogate in escape"),
                invalid("body['\\uDE00\\uD83D']", 6, "unpaired surrogate in escape"),
                invalid("body['\\u{D800}']", 6, "unpaired surrogate in escape"),
                invalid("body['\uD800']", 6, "unpaired surrogate U+D800"),
                invalid("body['\uDC00x']", 6, "unpaired surrogate U+DC00"),
                invalid("body['\\\uD800']", 7, "unpaired surrogate U+D800"),
                invalid("body.a\uD800", 6, "unexpected unpaired surrogate U+D800; expected '.' or '['"),
                invalid("body.\uDC00", 5, "unexpected unpaired surrogate U+DC00; expected an identifier after '.'"),
                invalid("\uD800body", 0, "unexpected unpaired surrogate U+D800"),
                // invisible characters must be escaped
                invalid("body['a\tb']", 7, "invisible character U+0009 must be written as an escape: \\t"),
                invalid("body['\u0000']", 6, "invisible character U+0000 must be written as an escape: \\0"),
                invalid("body['\u200B']", 6, "invisible character U+200B must be written as an escape: \\u200B"),
                invalid("body['\u00A0']", 6, "invisible character U+00A0 must be written as an escape: \\xA0"),
                invalid("body['\u2028']", 6, "invisible character U+2028 must be written as an escape: \\u2028"),
                invalid("body['\u202E']", 6, "invisible character U+202E"),
                invalid("body['\\\u200B']", 7, "invisible character U+200B"),
                invalid("body['" + new String(Character.toChars(0xE0001)) + "']", 6,
                        "invisible character U+E0001 must be written as an escape: \\u{E0001}"),
                invalid("body.a\u200Cb", 6, "invisible character U+200C must be written as an escape: \\u200C"),
                invalid("body.a\u00ADb", 6, "unexpected invisible character U+00AD; expected '.' or '['"),
                // identifiers
                invalid("body.\\x41", 5, "only \\u escapes are allowed in an identifier"),
                invalid("body.a\\", 6, "only \\u escapes are allowed in an identifier"),
                invalid("body.\\u0030", 5, "escape does not produce a character allowed at the start of an identifier"),
                invalid("body.\\u200C", 5, "escape does not produce a character allowed at the start of an identifier"),
                invalid("body.a\\u002D", 6, "escape does not produce a character allowed in an identifier"),
                invalid("body.\\uD801\\uDC00", 5, "escape does not produce a character allowed at the start of an identifier"),
                invalid("body.\\u", 5, "invalid \\u escape"),
                invalid("body.\\u{}", 5, "invalid \\u{...} escape"),
                invalid("body.a\u2E2F", 6, "unexpected character '\u2E2F'; expected '.' or '['"),
                invalid("body.€", 5, "unexpected character '€'; expected an identifier after '.'"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedKeyPaths")
    void rejectsMalformedKeyPathsWithThePositionOfTheError(String source, int position, String reason) {
        KeyPathSyntaxException e = assertThrows(KeyPathSyntaxException.class, () -> KeyPath.parse(source));

        assertEquals(position, e.position(), e::getMessage);
        assertTrue(e.reason().contains(reason), () -> "reason was: " + e.reason());
        assertEquals(e.reason() + " at position " + position, e.getMessage());
    }

    @Test
    void rejectsKeyPathsLongerThanTheLimitAtTheLimit() {
        String tooLong = "body" + ".a".repeat(511);
        assertEquals(KeyPath.MAX_LENGTH + 2, tooLong.length());

        KeyPathSyntaxException e = assertThrows(KeyPathSyntaxException.class, () -> KeyPath.parse(tooLong));

        assertEquals(KeyPath.MAX_LENGTH, e.position());
        assertEquals("key path is longer than 1024 characters", e.reason());
        assertEquals("key path is longer than 1024 characters at position 1024", e.getMessage());
    }

    @Test
    void lengthLimitCountsCharsAndIsInclusive() {
        String atLimit = "body['" + "a".repeat(KeyPath.MAX_LENGTH - 8) + "']";
        assertEquals(KeyPath.MAX_LENGTH, atLimit.length());
        KeyPath.parse(atLimit);

        String overLimit = " " + atLimit;
        assertEquals(KeyPath.MAX_LENGTH, assertThrows(KeyPathSyntaxException.class, () -> KeyPath.parse(overLimit)).position());
    }

    @Test
    void isAnIllegalArgumentException() {
        assertTrue(IllegalArgumentException.class.isAssignableFrom(KeyPathSyntaxException.class));
    }

    private static Arguments invalid(String source, int position, String reason) {
        return Arguments.of(source, position, reason);
    }
}
