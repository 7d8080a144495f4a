package dev.switchboard.delivery.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

class CurlCommandTest {

    static final String URL = "https://hooks.example.com/webhook/0123456789abcdef01234567";

    @Test
    void reproducesMethodQueryHeadersAndBodyWithoutCredentials() {
        ObjectNode headers = JsonNodeFactory.instance.objectNode()
                .put("host", "hooks.example.com")
                .put("content-type", "application/json")
                .put("content-length", "27")
                .put("authorization", "Bearer secret-token")
                .put("cookie", "session=secret")
                .put("x-api-key", "secret-key")
                .put("x-device-id", "lamp-1")
                .put("x-hub-signature-256", "sha256=abc");
        CurlCommand curl = CurlCommand.of(URL, "POST", headers, "a=1&b=it's",
                "{\"say\":\"it's on\"}".getBytes(StandardCharsets.UTF_8));

        assertEquals("curl -X POST '" + URL + "?a=1&b=it'\\''s' \\\n"
                + "  -H 'content-type: application/json' \\\n"
                + "  -H 'x-device-id: lamp-1' \\\n"
                + "  --data-binary '{\"say\":\"it'\\''s on\"}'", curl.text());
        assertEquals(List.of("authorization", "cookie", "x-api-key", "x-hub-signature-256"), curl.omitted());
        assertFalse(curl.text().contains("secret"));
    }

    @Test
    void aGetWithoutBodyIsPlain() {
        CurlCommand curl = CurlCommand.of(URL, "GET", JsonNodeFactory.instance.objectNode(), null, new byte[0]);
        assertEquals("curl '" + URL + "'", curl.text());
        assertTrue(curl.omitted().isEmpty());
    }

    @Test
    void binaryBodiesArriveByteForByteThroughBase64AndUntypedBodiesStayUntyped() {
        byte[] body = { 0, 1, 2, (byte) 0xff, 'a' };
        CurlCommand curl = CurlCommand.of(URL, "PUT", JsonNodeFactory.instance.objectNode(), "", body);
        assertEquals("printf '%s' '" + Base64.getEncoder().encodeToString(body) + "' | base64 --decode | curl -X PUT '"
                + URL + "' \\\n  -H 'content-type:' \\\n  --data-binary @-", curl.text());
    }
}
