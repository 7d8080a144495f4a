package dev.switchboard.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;

/**
 * Decodes {@code application/x-www-form-urlencoded} text (query strings and form bodies) the way the WHATWG
 * URL standard does: lenient, because a sender's sloppy encoding must not cost a Homey its message.
 */
final class FormUrlEncoded {

    private FormUrlEncoded() {
    }

    /**
     * Pairs are split on {@code &}, empty pairs skipped, a key without {@code =} gets {@code ""}; a key
     * that repeats becomes an array of its values in order. Percent-escaped bytes are decoded with
     * {@code charset} (undecodable bytes become U+FFFD); a {@code %} not followed by two hex digits is
     * kept as is.
     */
    static ObjectNode decode(String encoded, Charset charset) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (encoded == null) {
            return result;
        }
        int start = 0;
        while (start <= encoded.length()) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = encoded.length();
            }
            if (end > start) {
                int eq = encoded.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    eq = end;
                }
                String key = decodeComponent(encoded, start, eq, charset);
                String value = eq < end ? decodeComponent(encoded, eq + 1, end, charset) : "";
                add(result, key, value);
            }
            start = end + 1;
        }
        return result;
    }

    private static void add(ObjectNode result, String key, String value) {
        JsonNode existing = result.get(key);
        if (existing == null) {
            result.put(key, value);
        } else if (existing.isArray()) {
            ((ArrayNode) existing).add(value);
        } else {
            // Replacing a key keeps its position, so the object still lists keys by first appearance.
            result.putArray(key).add(existing).add(value);
        }
    }

    private static String decodeComponent(String s, int from, int to, Charset charset) {
        StringBuilder out = new StringBuilder(to - from);
        byte[] bytes = null;
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (isEscape(s, i, to)) {
                // Consecutive escapes are decoded together: one character may span several bytes.
                if (bytes == null) {
                    bytes = new byte[(to - i) / 3];
                }
                int n = 0;
                while (isEscape(s, i, to)) {
                    bytes[n++] = (byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                    i += 3;
                }
                out.append(new String(bytes, 0, n, charset));
            } else {
                out.append(c == '+' ? ' ' : c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isEscape(String s, int i, int to) {
        return i + 2 < to && s.charAt(i) == '%' && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0;
    }

    /** ASCII only: {@link Character#digit} would also accept e.g. full-width digits. */
    private static int hex(char c) {
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
