package dev.switchboard.routing;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A registration's {@code data} as PostgreSQL gives it back ({@code jsonb} as text), read without building a tree:
 * loading ten million registrations at startup parsed each into a tree and wrote it out again, which cost most of the
 * load. Covers the shape nearly every registration has ({@code $key} and {@code $keys} holding strings); anything
 * else answers null, and the caller takes the general path through the parsed tree.
 */
final class StoredRegistrationData {

    private StoredRegistrationData() {
    }

    /**
     * The text without the whitespace between tokens ({@code jsonb} writes {@code ", "} and {@code ": "}); strings,
     * escapes included, are kept as they are.
     */
    static String compact(String json) {
        StringBuilder out = null;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    if (out != null) {
                        out.append(c);
                    }
                    c = json.charAt(++i);
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                if (out == null) {
                    out = new StringBuilder(json.length()).append(json, 0, i);
                }
                continue;
            }
            if (out != null) {
                out.append(c);
            }
        }
        return out == null ? json : out.toString();
    }

    /**
     * The keys {@code RegistrationKeys.of} would give for this object, when its {@code $key} and {@code $keys} hold
     * only strings (a string is its own key text). Null when the text is not one object, either field holds anything
     * else or appears twice: then only the tree says what the keys are.
     */
    static Set<String> stringKeys(JsonFactory json, String text) {
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Set<String> keys = null;
            boolean keySeen = false;
            boolean keysSeen = false;
            for (JsonToken token = p.nextToken(); token == JsonToken.FIELD_NAME; token = p.nextToken()) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                boolean isKey = "$key".equals(field);
                if (!isKey && !"$keys".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                if (isKey ? keySeen : keysSeen) {
                    return null;
                }
                keySeen |= isKey;
                keysSeen |= !isKey;
                if (value == JsonToken.VALUE_STRING) {
                    keys = add(keys, p.getText());
                } else if (value == JsonToken.START_ARRAY) {
                    for (JsonToken element = p.nextToken(); element != JsonToken.END_ARRAY; element = p.nextToken()) {
                        if (element != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        keys = add(keys, p.getText());
                    }
                } else {
                    return null;
                }
            }
            if (p.nextToken() != null) {
                return null;
            }
            return keys == null ? Set.of() : keys;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static Set<String> add(Set<String> keys, String key) {
        Set<String> set = keys == null ? new HashSet<>(4) : keys;
        set.add(key);
        return set;
    }
}
