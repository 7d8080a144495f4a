package dev.switchboard.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonbTextTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void jsonWithoutNulIsWrittenAsIs() throws Exception {
        JsonNode node = mapper.readTree("{\"a\":[1,\"x\",{\"b\":null}],\"c\":\"\\u0001\"}");
        assertEquals(mapper.writeValueAsString(node), JsonbText.of(mapper, node));
    }

    @Test
    void nulInKeysAndValuesAnywhereBecomesTheReplacementCharacter() throws Exception {
        JsonNode node = mapper.readTree("{\"k\\u0000\":[\"a\\u0000b\",{\"deep\":\"\\u0000\"}],\"n\":1}");
        assertEquals("{\"k\uFFFD\":[\"a\uFFFDb\",{\"deep\":\"\uFFFD\"}],\"n\":1}", JsonbText.of(mapper, node));
    }

    @Test
    void anEscapedBackslashBeforeU0000IsNotMistakenForNul() throws Exception {
        JsonNode node = mapper.readTree("{\"a\":\"\\\\u0000\"}"); // the six characters \u0000, no NUL
        assertEquals(node, mapper.readTree(JsonbText.of(mapper, node)));
    }

    @Test
    void noNodeIsNoText() {
        assertNull(JsonbText.of(mapper, null));
    }
}
