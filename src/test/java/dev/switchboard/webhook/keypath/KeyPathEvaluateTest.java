package dev.switchboard.webhook.keypath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KeyPathEvaluateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String BODY = """
            {
              "X-Device-Id": "bbb",
              "device_id": "dev-1",
              "count": 42,
              "ratio": 42.0,
              "half": 1.5,
              "big": 1e21,
              "tiny": 1e-7,
              "negzero": -0.0,
              "long": 9007199254740993,
              "huge": 123456789012345678901234567890,
              "on": true,
              "off": false,
              "nothing": null,
              "empty": "",
              "nested": {"a": {"b": "deep"}},
              "devices": [{"id": "d0"}, {"id": 7}],
              "mixed": ["a", 1, true, null, {"x": 1}, ["y"], 2.50],
              "0": "zero key",
              "12": "twelve key",
              "a\\"b": "quoted",
              "ünïcödé": "unicode",
              "$x": "dollar",
              "_a1": "underscore",
              "A": "capital a",
              "class": "reserved",
              "text": "hello",
              "": "empty key",
              "case": {"Key": "upper", "key": "lower"}
            }
            """;

    private static final String HEADERS = """
            {"x-device-id": "aaa", "content-type": "application/json", "x-multi": ["m1", "m2"]}
            """;

    private static final String QUERY = """
            {"homey": "h1", "tag": ["t1", "t2"], "Case": "upper"}
            """;

    static Stream<Arguments> evaluations() {
        return Stream.of(
                // the seed examples
                found("headers['X-Device-Id']", "aaa"),
                found("body['X-Device-Id']", "bbb"),
                // header names ignore case, body and query keys do not
                found("headers['x-device-id']", "aaa"),
                found("headers[\"X-DEVICE-ID\"]", "aaa"),
                found("headers.content_type"),
                found("headers['Content-Type']", "application/json"),
                found("headers['X-Multi']", "m1", "m2"),
                found("headers['X-Multi'][1]", "m2"),
                found("body['x-device-id']"),
                found("body.case.Key", "upper"),
                found("body.case.key", "lower"),
                found("body.case.KEY"),
                found("query.homey", "h1"),
                found("query.Homey"),
                found("query.Case", "upper"),
                found("query.case"),
                // plain lookups
                found("body.device_id", "dev-1"),
                found("body.nested.a.b", "deep"),
                found("body['nested'][\"a\"].b", "deep"),
                found("body[\"a\\\"b\"]", "quoted"),
                found("body.ünïcödé", "unicode"),
                found("body.$x", "dollar"),
                found("body._a1", "underscore"),
                found("body['\\u0041']", "capital a"),
                found("body['\\x41']", "capital a"),
                found("body.class", "reserved"),
                found("body['']", "empty key"),
                found("body.empty", ""),
                // canonical text of scalars
                found("body.count", "42"),
                found("body.ratio", "42"),
                found("body.half", "1.5"),
                found("body.big", "1e+21"),
                found("body.tiny", "1e-7"),
                found("body.negzero", "0"),
                found("body.long", "9007199254740993"),
                found("body.huge", "123456789012345678901234567890"),
                found("body.on", "true"),
                found("body.off", "false"),
                // arrays: by index, and any element of an array found
                found("body.devices[0].id", "d0"),
                found("body.devices[1].id", "7"),
                found("body.devices['1'].id", "7"),
                found("body.devices[2].id"),
                found("body.devices['01'].id"),
                found("body.devices.length"),
                found("body.devices"),
                found("body.mixed", "a", "1", "true", "2.5"),
                found("query.tag", "t1", "t2"),
                // an index on an object looks up its digits
                found("body[0]", "zero key"),
                found("body['0']", "zero key"),
                found("body[12]", "twelve key"),
                // missing, null and objects match nothing
                found("body.missing"),
                found("body.missing.deeper[0]"),
                found("body.nothing"),
                found("body.nothing.x"),
                found("body.nested"),
                found("body.nested.a"),
                found("body"),
                found("headers"),
                found("query"),
                // scalars have no properties
                found("body.text[0]"),
                found("body.text.length"),
                found("body.count.x"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("evaluations")
    void evaluatesAgainstARequest(String keyPath, List<String> expected) throws Exception {
        List<String> values = KeyPath.parse(keyPath).evaluate(JSON.readTree(BODY), JSON.readTree(HEADERS), JSON.readTree(QUERY));

        assertEquals(expected, values);
    }

    @Test
    void onlyTheHeaderNameIsCaseInsensitive() throws Exception {
        JsonNode headers = JSON.readTree("{\"x-json\": {\"Inner\": \"v\"}}");

        assertEquals(List.of("v"), KeyPath.parse("headers['X-Json'].Inner").evaluate(null, headers, null));
        assertEquals(List.of(), KeyPath.parse("headers['X-Json'].inner").evaluate(null, headers, null));
    }

    @Test
    void headerLookupUsesRootLocaleLowerCase() throws Exception {
        // In a Turkish locale "I".toLowerCase() is a dotless ı; header names must not depend on the server locale.
        Locale previous = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            JsonNode headers = JSON.readTree("{\"x-id\": \"i\"}");
            assertEquals(List.of("i"), KeyPath.parse("headers['X-ID']").evaluate(null, headers, null));
        } finally {
            Locale.setDefault(previous);
        }
    }

    @Test
    void bodyMayBeAnyNode() throws Exception {
        KeyPath wholeBody = KeyPath.parse("body");
        KeyPath firstElement = KeyPath.parse("body[0]");

        assertEquals(List.of("plain text"), wholeBody.evaluate(JsonNodeFactory.instance.textNode("plain text"), null, null));
        assertEquals(List.of("5"), wholeBody.evaluate(JsonNodeFactory.instance.numberNode(5), null, null));
        assertEquals(List.of("x", "y"), wholeBody.evaluate(JSON.readTree("[\"x\", \"y\"]"), null, null));
        assertEquals(List.of("x"), firstElement.evaluate(JSON.readTree("[\"x\", \"y\"]"), null, null));
        assertEquals(List.of(), firstElement.evaluate(JSON.readTree("[]"), null, null));
        assertEquals(List.of(), wholeBody.evaluate(MissingNode.getInstance(), null, null));
        assertEquals(List.of(), wholeBody.evaluate(JsonNodeFactory.instance.nullNode(), null, null));
        assertEquals(List.of(), wholeBody.evaluate(null, null, null));
        assertEquals(List.of(), KeyPath.parse("body.a").evaluate(MissingNode.getInstance(), null, null));
        assertEquals(List.of(), KeyPath.parse("body.a").evaluate(null, null, null));
    }

    @Test
    void eachRootReadsItsOwnPartOfTheRequest() throws Exception {
        JsonNode body = JSON.readTree("{\"k\": \"from body\"}");
        JsonNode headers = JSON.readTree("{\"k\": \"from headers\"}");
        JsonNode query = JSON.readTree("{\"k\": \"from query\"}");

        assertEquals(List.of("from body"), KeyPath.parse("body.k").evaluate(body, headers, query));
        assertEquals(List.of("from headers"), KeyPath.parse("headers.k").evaluate(body, headers, query));
        assertEquals(List.of("from query"), KeyPath.parse("query.k").evaluate(body, headers, query));
    }

    @Test
    void deepPathsEvaluateIteratively() throws Exception {
        int depth = 500;
        String json = "{\"a\":".repeat(depth) + "\"bottom\"" + "}".repeat(depth);
        KeyPath keyPath = KeyPath.parse("body" + ".a".repeat(depth));

        assertEquals(List.of("bottom"), keyPath.evaluate(JSON.readTree(json), null, null));
    }

    @Test
    void resultIsUnmodifiable() throws Exception {
        List<String> values = KeyPath.parse("body.mixed").evaluate(JSON.readTree(BODY), null, null);
        assertThrows(UnsupportedOperationException.class, () -> values.add("x"));
    }

    private static Arguments found(String keyPath, String... values) {
        return Arguments.of(keyPath, List.of(values));
    }
}
