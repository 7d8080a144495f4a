package dev.switchboard.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PayloadParserTest {

    private static final PayloadParser PARSER = new PayloadParser();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static WebhookPayload post(String contentType, byte[] body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
        return PARSER.parse(new InboundRequest("POST", headers, null, body));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Arguments body(String contentType, byte[] body, BodyKind kind, String expectedBodyJson) {
        return Arguments.of(contentType, body, kind, expectedBodyJson);
    }

    static Stream<Arguments> bodies() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', (byte) 0xff};
        return Stream.of(
                // JSON media types
                body("application/json; charset=utf-8", utf8("{\"device_id\":\"aaabbbccc\",\"turned_on\":true}"),
                        BodyKind.JSON, "{\"device_id\":\"aaabbbccc\",\"turned_on\":true}"),
                body("application/json", utf8("[1,\"two\",{\"three\":3}]"), BodyKind.JSON, "[1,\"two\",{\"three\":3}]"),
                body("application/json", utf8("42"), BodyKind.JSON, "42"),
                body("application/json", utf8("\"just a string\""), BodyKind.JSON, "\"just a string\""),
                body("application/json", utf8("null"), BodyKind.JSON, "null"),
                body("application/json", utf8(" \r\n{\"a\":1}\n"), BodyKind.JSON, "{\"a\":1}"),
                body("application/json", utf8("{\"id\":123456789012345678901234567890,\"t\":21.5}"),
                        BodyKind.JSON, "{\"id\":123456789012345678901234567890,\"t\":21.5}"),
                body("application/vnd.api+json", utf8("{\"data\":{\"type\":\"lights\"}}"),
                        BodyKind.JSON, "{\"data\":{\"type\":\"lights\"}}"),
                body("application/cloudevents+json; charset=UTF-8", utf8("{\"specversion\":\"1.0\"}"),
                        BodyKind.JSON, "{\"specversion\":\"1.0\"}"),
                body("text/json", utf8("{\"a\":true}"), BodyKind.JSON, "{\"a\":true}"),
                body("Application/JSON; Charset=\"UTF-8\"", utf8("{\"a\":\"ü\"}"), BodyKind.JSON, "{\"a\":\"ü\"}"),
                body("application/json; charset=iso-8859-1", latin1("{\"name\":\"Jérôme\"}"),
                        BodyKind.JSON, "{\"name\":\"Jérôme\"}"),
                body("application/json; charset=utf-16", "{\"a\":\"€\"}".getBytes(StandardCharsets.UTF_16),
                        BodyKind.JSON, "{\"a\":\"€\"}"),
                body("application/json", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}, BodyKind.JSON, "{}"),
                body("application/json; charset=no-such-charset", utf8("{\"a\":\"é\"}"), BodyKind.JSON, "{\"a\":\"é\"}"),
                // Duplicate keys: the last one wins, as JSON.parse does.
                body("application/json", utf8("{\"a\":1,\"a\":2}"), BodyKind.JSON, "{\"a\":2}"),
                // JSON that does not parse becomes its own text.
                body("application/json", utf8("{\"a\":1"), BodyKind.MALFORMED_JSON, "\"{\\\"a\\\":1\""),
                body("application/json", utf8("{\"a\":1} trailing"), BodyKind.MALFORMED_JSON, "\"{\\\"a\\\":1} trailing\""),
                body("application/json", utf8("{'a':1}"), BodyKind.MALFORMED_JSON, "\"{'a':1}\""),
                body("application/json", utf8("NaN"), BodyKind.MALFORMED_JSON, "\"NaN\""),
                body("application/json", utf8("   "), BodyKind.MALFORMED_JSON, "\"   \""),
                body("application/json", new byte[] {'"', (byte) 0xC3, '"'}, BodyKind.MALFORMED_JSON, "\"\\\"\uFFFD\\\"\""),
                body("application/problem+json", utf8("device=aaa"), BodyKind.MALFORMED_JSON, "\"device=aaa\""),
                // Forms
                body("application/x-www-form-urlencoded", utf8("device=aaa&on=true&tag=a&tag=b+c"),
                        BodyKind.FORM, "{\"device\":\"aaa\",\"on\":\"true\",\"tag\":[\"a\",\"b c\"]}"),
                body("application/x-www-form-urlencoded; charset=ISO-8859-1", utf8("name=J%E9r%F4me"),
                        BodyKind.FORM, "{\"name\":\"Jérôme\"}"),
                body("application/x-www-form-urlencoded; charset=iso-8859-1", latin1("name=Jérôme"),
                        BodyKind.FORM, "{\"name\":\"Jérôme\"}"),
                body("application/x-www-form-urlencoded", utf8("name=J%C3%A9r%C3%B4me&price=%E2%82%AC5"),
                        BodyKind.FORM, "{\"name\":\"Jérôme\",\"price\":\"€5\"}"),
                body("application/x-www-form-urlencoded", utf8("&&"), BodyKind.FORM, "{}"),
                // Text and XML
                body("text/plain", utf8("turned on"), BodyKind.TEXT, "\"turned on\""),
                body("text/plain; charset=iso-8859-1", latin1("Grüße"), BodyKind.TEXT, "\"Grüße\""),
                body("text/csv", utf8("a,b\n1,2\n"), BodyKind.TEXT, "\"a,b\\n1,2\\n\""),
                body("text/plain", utf8("{\"looks\":\"like json\"}"), BodyKind.TEXT, "\"{\\\"looks\\\":\\\"like json\\\"}\""),
                body("application/xml", utf8("<event on=\"true\"/>"), BodyKind.TEXT, "\"<event on=\\\"true\\\"/>\""),
                body("text/xml", utf8("<a/>"), BodyKind.TEXT, "\"<a/>\""),
                body("application/soap+xml; charset=utf-8", utf8("<Envelope/>"), BodyKind.TEXT, "\"<Envelope/>\""),
                // Binary: any other type
                body("image/png", png, BodyKind.BINARY, "{}"),
                body("application/octet-stream", utf8("{\"a\":1}"), BodyKind.BINARY, "{}"),
                body("multipart/form-data; boundary=x", utf8("--x\r\n\r\nv\r\n--x--"), BodyKind.BINARY, "{}"),
                body("application/x-ndjson", utf8("{}\n{}\n"), BodyKind.BINARY, "{}"),
                // Empty
                body("application/json", new byte[0], BodyKind.EMPTY, "{}"),
                body("text/plain", new byte[0], BodyKind.EMPTY, "{}"),
                body(null, new byte[0], BodyKind.EMPTY, "{}"),
                // No (usable) content type: JSON if it parses, else UTF-8 text, else binary.
                body(null, utf8("{\"turned_on\":true}"), BodyKind.JSON, "{\"turned_on\":true}"),
                body(null, utf8("true"), BodyKind.JSON, "true"),
                body(null, utf8("device aaa turned on\r\n\tok"), BodyKind.TEXT, "\"device aaa turned on\\r\\n\\tok\""),
                body(null, utf8("{\"a\":"), BodyKind.TEXT, "\"{\\\"a\\\":\""),
                body(null, png, BodyKind.BINARY, "{}"),
                body(null, new byte[] {'a', 0, 'b'}, BodyKind.BINARY, "{}"),
                body(null, latin1("Grüße"), BodyKind.BINARY, "{}"),
                body("", utf8("{\"a\":1}"), BodyKind.JSON, "{\"a\":1}"),
                body("json", utf8("plain"), BodyKind.TEXT, "\"plain\""),
                body("application/", utf8("plain"), BodyKind.TEXT, "\"plain\""));
    }

    @ParameterizedTest(name = "[{index}] {0} → {2}")
    @MethodSource("bodies")
    void interpretsBodyByMediaType(String contentType, byte[] raw, BodyKind kind, String expectedBodyJson) {
        WebhookPayload payload = post(contentType, raw);

        assertEquals(kind, payload.bodyKind());
        assertEquals(json(expectedBodyJson), payload.body());
        assertArrayEquals(raw, payload.rawBody());
        assertEquals(contentType, payload.contentType());
    }

    @Test
    void nestingUpToTheCapParses() {
        String json = "[".repeat(PayloadParser.MAX_NESTING_DEPTH) + "]".repeat(PayloadParser.MAX_NESTING_DEPTH);

        assertEquals(BodyKind.JSON, post("application/json", utf8(json)).bodyKind());
    }

    @Test
    void nestingBeyondTheCapIsMalformedJsonNotACrash() {
        String json = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);

        WebhookPayload payload = post("application/json", utf8(json));

        assertEquals(BodyKind.MALFORMED_JSON, payload.bodyKind());
        assertEquals(json, payload.body().textValue());
    }

    @Test
    void nestingBeyondTheCapWithoutContentTypeIsText() {
        String json = "[".repeat(PayloadParser.MAX_NESTING_DEPTH + 1) + "]".repeat(PayloadParser.MAX_NESTING_DEPTH + 1);

        assertEquals(BodyKind.TEXT, post(null, utf8(json)).bodyKind());
    }

    @Test
    void contentTypeIsTheFirstReceivedValue() {
        WebhookPayload payload = PARSER.parse(new InboundRequest("POST",
                List.of(Map.entry("content-type", "application/json"), Map.entry("Content-Type", "text/plain")),
                null, utf8("{\"a\":1}")));

        assertEquals("application/json", payload.contentType());
        assertEquals(BodyKind.JSON, payload.bodyKind());
        assertEquals("application/json, text/plain", payload.headers().get("content-type").textValue());
    }

    @Test
    void carriesMethodHeadersAndQuery() {
        WebhookPayload payload = PARSER.parse(new InboundRequest("PUT",
                List.of(Map.entry("X-Device-Id", "aaa"), Map.entry("Connection", "keep-alive")),
                "homey=5f1d&x=1&x=2", null));

        assertEquals("PUT", payload.method());
        assertEquals(json("{\"x-device-id\":\"aaa\"}"), payload.headers());
        assertEquals(json("{\"homey\":\"5f1d\",\"x\":[\"1\",\"2\"]}"), payload.query());
        assertEquals(BodyKind.EMPTY, payload.bodyKind());
        assertEquals(0, payload.rawBody().length);
        assertNull(payload.contentType());
    }

    @Test
    void toStringLeavesOutContent() {
        WebhookPayload payload = post("application/json", utf8("{\"password\":\"hunter2\"}"));

        assertEquals("WebhookPayload[POST, JSON, 22 bytes]", payload.toString());
    }
}
