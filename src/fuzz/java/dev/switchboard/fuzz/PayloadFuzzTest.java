package dev.switchboard.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.payload.HeaderRedaction;
import dev.switchboard.payload.HomeyMessageFrame;
import dev.switchboard.payload.InboundRequest;
import dev.switchboard.payload.PayloadParser;
import dev.switchboard.payload.QueryRedaction;
import dev.switchboard.payload.WebhookPayload;

/**
 * The payload parser (every sender request's headers, query and body) against arbitrary requests. It is documented
 * never to throw on request content; so any exception, an error or a hang here is a finding, in the parser or in
 * what is built from its result on the hot path and in the log: the Homey frame and the redacted header and query.
 */
class PayloadFuzzTest {

    private static final PayloadParser PARSER = new PayloadParser();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] CONTENT_TYPES = { null, "application/json", "application/json; charset=utf-16",
        "application/vnd.api+json", "application/x-www-form-urlencoded", "text/plain; charset=iso-8859-1",
        "text/xml", "application/octet-stream", "multipart/form-data; boundary=x" };

    @FuzzTest(maxDuration = "2m")
    void parse(FuzzedDataProvider data) throws Exception {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        String contentType = data.consumeBoolean() ? data.pickValue(CONTENT_TYPES) : data.consumeString(80);
        if (contentType != null) {
            headers.add(Map.entry(data.consumeBoolean() ? "Content-Type" : "content-type", contentType));
        }
        int extra = data.consumeInt(0, 4);
        for (int i = 0; i < extra; i++) {
            headers.add(Map.entry(data.consumeString(24), data.consumeString(64)));
        }
        String rawQuery = data.consumeBoolean() ? null : data.consumeString(200);
        byte[] body = data.consumeRemainingAsBytes();

        WebhookPayload payload = PARSER.parse(new InboundRequest("POST", headers, rawQuery, body));
        assertNotNull(payload.body());
        assertArrayEquals(body, payload.rawBody(), "the exact bytes must reach the Homey");
        byte[] frame = HomeyMessageFrame.write(MAPPER, "0123456789abcdef01234567", "76543210fedcba9876543210",
                Instant.EPOCH, payload);
        assertNotNull(MAPPER.readTree(frame), "the frame must be JSON");
        HeaderRedaction.redact(payload.headers().deepCopy());
        QueryRedaction.redact(rawQuery);
    }
}
