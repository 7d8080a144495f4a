package dev.switchboard.payload;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The parts of a Content-Type header that decide how a body is read: its essence ({@code type/subtype},
 * lower-cased) and its charset.
 */
record MediaType(String essence, Charset charset) {

    /**
     * Returns null for a missing, blank or unparseable header, so such bodies are sniffed rather than
     * guessed from a value the sender did not mean.
     */
    static MediaType parse(String header) {
        if (header == null) {
            return null;
        }
        String[] parts = header.split(";", -1);
        String essence = parts[0].strip().toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        if (slash <= 0 || slash == essence.length() - 1 || essence.indexOf('/', slash + 1) >= 0
                || essence.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        Charset charset = StandardCharsets.UTF_8;
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                charset = charsetOrUtf8(unquote(param.substring(eq + 1).strip()));
            }
        }
        return new MediaType(essence, charset);
    }

    /** RFC 6839 structured-syntax suffixes make e.g. {@code application/vnd.api+json} JSON too. */
    boolean isJson() {
        // text/json is legacy but still sent by some clouds; if it is not JSON it falls back to text anyway.
        return essence.equals("application/json") || essence.equals("text/json") || essence.endsWith("+json");
    }

    boolean isForm() {
        return essence.equals("application/x-www-form-urlencoded");
    }

    boolean isText() {
        return essence.startsWith("text/") || essence.equals("application/xml") || essence.endsWith("+xml");
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    /** An unknown charset must not fail the request: UTF-8 is what senders mean in practice. */
    private static Charset charsetOrUtf8(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknownOrIllegal) {
            return StandardCharsets.UTF_8;
        }
    }
}
