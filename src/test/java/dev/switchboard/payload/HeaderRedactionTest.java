package dev.switchboard.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderRedactionTest {

    private static ObjectNode headers(String name, String value) {
        return JsonNodeFactory.instance.objectNode().put(name, value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"authorization", "proxy-authorization", "x-authorization", "cookie", "set-cookie",
        "x-api-key", "apikey", "x-auth-token", "x-amz-security-token", "x-csrf-token", "x-webhook-secret",
        "client-secret", "x-password", "Authorization", "x-hub-signature-256", "stripe-signature", "x-signature",
        "x-tuya-key", "idempotency-key", "x-auth", "X-Refresh-Token"})
    void redactsCredentials(String name) {
        assertEquals(headers(name, HeaderRedaction.REDACTED), HeaderRedaction.redact(headers(name, "s3cr3t")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"content-type", "x-device-id", "user-agent", "x-forwarded-for", "x-keyboard",
        "x-request-id", "accept"})
    void keepsEverythingElse(String name) {
        assertEquals(headers(name, "value"), HeaderRedaction.redact(headers(name, "value")));
    }

    @Test
    void returnsACopyInTheSameOrder() {
        ObjectNode received = JsonNodeFactory.instance.objectNode()
                .put("x-device-id", "aaa").put("authorization", "Bearer abc").put("content-type", "text/plain");

        ObjectNode redacted = HeaderRedaction.redact(received);

        assertEquals("Bearer abc", received.get("authorization").textValue());
        assertEquals(List.of("x-device-id", "authorization", "content-type"),
                redacted.properties().stream().map(Map.Entry::getKey).toList());
        assertEquals(List.of("aaa", "[redacted]", "text/plain"),
                redacted.properties().stream().map(Map.Entry::getValue).map(JsonNode::textValue).toList());
    }
}
