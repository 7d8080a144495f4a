package dev.switchboard.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HomeyMessageFrameTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PayloadParser PARSER = new PayloadParser();
    private static final Instant RECEIVED_AT = Instant.parse("2026-11-27T05:00:00.123456789Z");

    private static String frame(InboundRequest request) {
        byte[] bytes = HomeyMessageFrame.write(MAPPER, "dlv_1", "56db7fb12dcf75604ea7977d", RECEIVED_AT,
                PARSER.parse(request));
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void writesTheContractFrameExactly() {
        String body = "{\"device_id\":\"aaabbbccc\",\"turned_on\":true}";
        InboundRequest request = new InboundRequest("POST",
                List.of(Map.entry("Content-Type", "application/json; charset=utf-8"), Map.entry("X-Device-Id", "aaa"),
                        Map.entry("Connection", "close")),
                "homey=5f1d2c", body.getBytes(StandardCharsets.UTF_8));

        assertEquals("{\"type\":\"message\",\"id\":\"dlv_1\",\"webhookId\":\"56db7fb12dcf75604ea7977d\","
                + "\"receivedAt\":\"2026-11-27T05:00:00.123Z\",\"method\":\"POST\","
                + "\"headers\":{\"content-type\":\"application/json; charset=utf-8\",\"x-device-id\":\"aaa\"},"
                + "\"query\":{\"homey\":\"5f1d2c\"},\"body\":{\"device_id\":\"aaabbbccc\",\"turned_on\":true},"
                + "\"rawBody\":\"" + Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "\"}",
                frame(request));
    }

    @Test
    void leavesOutRawBodyWhenThereIsNoBody() throws Exception {
        JsonNode frame = MAPPER.readTree(frame(new InboundRequest("GET", List.of(), null, null)));

        assertEquals(MAPPER.readTree("{}"), frame.get("body"));
        assertEquals(MAPPER.readTree("{}"), frame.get("query"));
        assertFalse(frame.has("rawBody"));
    }

    @Test
    void carriesBinaryBodiesOnlyAsRawBody() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe};
        JsonNode frame = MAPPER.readTree(frame(new InboundRequest("POST",
                List.of(Map.entry("Content-Type", "image/png")), null, png)));

        assertEquals(MAPPER.readTree("{}"), frame.get("body"));
        assertEquals("iVBORwD//g==", frame.get("rawBody").textValue());
        assertArrayEquals(png, Base64.getDecoder().decode(frame.get("rawBody").textValue()));
    }

    @Test
    void writesMalformedJsonAsTheRawText() throws Exception {
        JsonNode frame = MAPPER.readTree(frame(new InboundRequest("POST",
                List.of(Map.entry("Content-Type", "application/json")), "a=1&a=2",
                "{oops".getBytes(StandardCharsets.UTF_8))));

        assertEquals("{oops", frame.get("body").textValue());
        assertEquals(MAPPER.readTree("{\"a\":[\"1\",\"2\"]}"), frame.get("query"));
    }

    @Test
    void keepsFieldsInContractOrder() throws Exception {
        JsonNode frame = MAPPER.readTree(frame(new InboundRequest("POST", List.of(), null, new byte[] {'1'})));

        assertEquals(List.of("type", "id", "webhookId", "receivedAt", "method", "headers", "query", "body", "rawBody"),
                frame.properties().stream().map(Map.Entry::getKey).toList());
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-27T05:00:00Z,            2026-11-27T05:00:00.000Z",
        "2026-11-27T05:00:00.1Z,          2026-11-27T05:00:00.100Z",
        "2026-11-27T05:00:00.999999999Z,  2026-11-27T05:00:00.999Z",
        "1970-01-01T00:00:00Z,            1970-01-01T00:00:00.000Z",
        "2027-01-02T03:04:05.006Z,        2027-01-02T03:04:05.006Z",
        "2026-12-31T23:59:59.05Z,         2026-12-31T23:59:59.050Z",
    })
    void writesReceivedAtInUtcWithMilliseconds(String instant, String expected) throws Exception {
        byte[] bytes = HomeyMessageFrame.write(MAPPER, "d", "w", Instant.parse(instant),
                PARSER.parse(new InboundRequest("GET", List.of(), null, null)));

        assertEquals(expected, MAPPER.readTree(bytes).get("receivedAt").textValue());
    }

    @Test
    void writesEveryMillisecondAndSecondLikeTheJavaFormatterAcrossDaysAndYears() {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        // Steps of 0.997 s from just before a leap day and a new year: many instants share a second, most do not.
        for (Instant start : List.of(Instant.parse("2028-02-28T23:59:00Z"), Instant.parse("2026-12-31T23:58:30Z"))) {
            for (int i = 0; i < 5_000; i++) {
                Instant at = start.plusMillis(997L * i);
                assertEquals(formatter.format(at), HomeyMessageFrame.utcMillis(at));
                Instant sameSecond = at.plusNanos(1_000_000L * (999 - at.getNano() / 1_000_000));
                assertEquals(formatter.format(sameSecond), HomeyMessageFrame.utcMillis(sameSecond));
            }
        }
    }

    @Test
    void keepsUnicodeAndEscapesInStrings() throws Exception {
        String body = "{\"name\":\"Grüße 😀\",\"quote\":\"\\\"\\u0000\",\"lone\":\"\\ud800\"}";
        JsonNode frame = MAPPER.readTree(frame(new InboundRequest("POST",
                List.of(Map.entry("Content-Type", "application/json")), null, body.getBytes(StandardCharsets.UTF_8))));

        assertEquals("Grüße 😀", frame.get("body").get("name").textValue());
        assertEquals("\"\u0000", frame.get("body").get("quote").textValue());
        assertEquals(1, frame.get("body").get("lone").textValue().length());
    }
}
