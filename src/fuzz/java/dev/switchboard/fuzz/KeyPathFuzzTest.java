package dev.switchboard.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.switchboard.payload.InboundRequest;
import dev.switchboard.payload.PayloadParser;
import dev.switchboard.payload.WebhookPayload;
import dev.switchboard.webhook.keypath.KeyPath;
import dev.switchboard.webhook.keypath.KeyPathSyntaxException;

/**
 * The key-path parser (what a developer saves and routing evaluates on every request) against arbitrary text. The
 * one documented failure is {@link KeyPathSyntaxException} (the API's 422 {@code invalid_input} with a position):
 * any other exception, an error, a hang or a position outside the text is a finding. A path that parses must
 * round-trip through its canonical form and evaluate against any body without throwing.
 */
class KeyPathFuzzTest {

    private static final PayloadParser PAYLOADS = new PayloadParser();

    @FuzzTest(maxDuration = "2m")
    void parseAndEvaluate(FuzzedDataProvider data) {
        String source = data.consumeString(KeyPath.MAX_LENGTH + 64);
        KeyPath path;
        try {
            path = KeyPath.parse(source);
        } catch (KeyPathSyntaxException e) {
            assertTrue(e.position() >= 0 && e.position() <= source.length(),
                    "error position " + e.position() + " outside the text of length " + source.length());
            assertNotNull(e.reason());
            return;
        }
        assertEquals(source, path.source());
        assertTrue(path.canonical().length() <= source.length(), "canonical form longer than the source");
        KeyPath again = KeyPath.parse(path.canonical());
        assertEquals(path.canonical(), again.canonical(), "canonical form does not round-trip");
        assertEquals(path.accessors(), again.accessors());

        byte[] body = data.consumeRemainingAsBytes();
        WebhookPayload payload = PAYLOADS.parse(new InboundRequest("POST",
                List.of(Map.entry("Content-Type", "application/json"), Map.entry("X-Device-Id", "abc")),
                "homey=1&device=" + new String(body, 0, Math.min(body.length, 16), StandardCharsets.ISO_8859_1), body));
        List<String> values = path.evaluate(payload.body(), payload.headers(), payload.query());
        assertNotNull(values);
    }
}
