package dev.switchboard.routing;

import java.nio.charset.StandardCharsets;

/**
 * Text held as compactly as the heap allows: a {@code byte[]} of ISO-8859-1 when every character fits (JSON data and
 * device keys nearly always do), which saves the 24 bytes of a {@code String} around the same bytes; otherwise the
 * {@code String} itself, so any text, unpaired surrogates included, comes back exactly.
 */
final class CompactText {

    private CompactText() {
    }

    static Object of(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                return text;
            }
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(Object compact) {
        return compact instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : (String) compact;
    }

    static boolean equals(Object compact, String text) {
        if (compact instanceof byte[] bytes) {
            if (bytes.length != text.length()) {
                return false;
            }
            for (int i = 0; i < bytes.length; i++) {
                if ((bytes[i] & 0xFF) != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
        return text.equals(compact);
    }
}
