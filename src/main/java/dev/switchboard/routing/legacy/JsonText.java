package dev.switchboard.routing.legacy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Checks that inputs are single JSON documents before they enter the sandbox, so a caller's
 * mistake is reported as one (an exception) instead of as the function "throwing".
 */
final class JsonText {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonText() {
    }

    static void requireSingleValue(String json, String what) {
        if (json == null) {
            throw new IllegalArgumentException(what + " must be JSON text, not null (use \"null\")");
        }
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                throw new IllegalArgumentException(what + " is empty, expected one JSON value");
            }
            p.skipChildren();
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new IllegalArgumentException(what + " has content after the first JSON value");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " could not be read: " + e.getMessage(), e);
        }
    }
}
