package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.webhook.keypath.RegistrationKeys;

/** Reading a registration's data as PostgreSQL writes jsonb out, without a tree, gives what the tree gives. */
class StoredRegistrationDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    @Test
    void whitespaceBetweenTokensGoesAndWhitespaceInStringsStays() throws Exception {
        String stored = "{\"n\": 1.50, \"$key\": \"a b\", \"$keys\": [\"x\", \"y \\\" z\", \"\\\\\"], \"o\": {\"p\": [1, 2]}}";
        String compact = StoredRegistrationData.compact(stored);
        assertEquals("{\"n\":1.50,\"$key\":\"a b\",\"$keys\":[\"x\",\"y \\\" z\",\"\\\\\"],\"o\":{\"p\":[1,2]}}", compact);
        assertEquals(JSON.readTree(stored), JSON.readTree(compact));
        assertEquals("{\"$key\":\"k\"}", StoredRegistrationData.compact("{\"$key\":\"k\"}"));
    }

    @Test
    void stringKeysAreThoseTheTreeGives() throws Exception {
        for (String text : new String[] {
                "{\"$key\":\"a\"}",
                "{\"$keys\":[\"a\",\"b\",\"a\"],\"$key\":\"c\"}",
                "{\"$key\":[\"a\",\"b\"],\"$keys\":\"c\"}",
                "{\"name\":{\"$key\":1},\"list\":[{\"$keys\":[true]}]}",
                "{\"$keys\":[]}",
                "{}" }) {
            assertEquals(RegistrationKeys.of(JSON.readTree(text)), StoredRegistrationData.stringKeys(FACTORY, text),
                    text);
        }
        assertEquals(Set.of("ü", "\uD83D\uDE00"), StoredRegistrationData.stringKeys(FACTORY,
                "{\"$keys\":[\"\\u00fc\",\"\uD83D\uDE00\"]}"));
    }

    @Test
    void anythingButStringKeysIsLeftToTheTree() {
        for (String text : new String[] {
                "{\"$key\":1}",
                "{\"$key\":true}",
                "{\"$keys\":[\"a\",2.5]}",
                "{\"$keys\":[\"a\",null]}",
                "{\"$key\":{\"a\":\"b\"}}",
                "{\"$key\":\"a\",\"$key\":\"b\"}",
                "[\"$key\"]",
                "\"text\"",
                "{\"$key\":\"a\"} {}",
                "{\"$key\":" }) {
            assertNull(StoredRegistrationData.stringKeys(FACTORY, text), text);
        }
    }
}
