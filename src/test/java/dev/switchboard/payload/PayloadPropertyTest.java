package dev.switchboard.payload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.Generate.byteArrays;
import static org.quicktheories.generators.Generate.bytes;
import static org.quicktheories.generators.Generate.constant;
import static org.quicktheories.generators.Generate.frequency;
import static org.quicktheories.generators.Generate.pick;
import static org.quicktheories.generators.Generate.range;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.support.UnicodeStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;

/**
 * Properties of payload parsing and framing, checked with QuickTheories. A failure reports the smallest
 * falsifying example found and the seed; rerun with {@code -DQT_SEED=<seed>} to reproduce it.
 */
class PayloadPropertyTest {

    private static final PayloadParser PARSER = new PayloadParser();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * QuickTheories skips an example that repeats an earlier one, so the counts below are a little above
     * the number of distinct examples wanted. Shrinking is bounded so that a failure reports in seconds.
     */
    private static QuickTheory theory(int examples) {
        return qt().withExamples(examples).withShrinkCycles(20_000);
    }

    // ---- any bytes with any content type ---------------------------------------------------------

    @Test
    void neverThrowsAndKeepsTheExactBytes() {
        theory(1100).forAll(contentTypes(), bodies()).checkAssert((contentType, body) -> {
            List<Map.Entry<String, String>> headers =
                    contentType == null ? List.of() : List.of(Map.entry("Content-Type", contentType));

            WebhookPayload payload = PARSER.parse(new InboundRequest("POST", headers, null, body.clone()));

            assertArrayEquals(body, payload.rawBody());
            assertNotNull(payload.body());
            assertEquals(body.length == 0, payload.bodyKind() == BodyKind.EMPTY);

            byte[] frameBytes = HomeyMessageFrame.write(MAPPER, "d", "w", Instant.EPOCH, payload);
            assertTrue(isUtf8(frameBytes), "a WebSocket text frame must be valid UTF-8");
            JsonNode frame = readTree(frameBytes);
            assertEquals(payload.body(), frame.get("body"));
            if (body.length == 0) {
                assertFalse(frame.has("rawBody"));
            } else {
                assertArrayEquals(body, Base64.getDecoder().decode(frame.get("rawBody").textValue()));
            }
        });
    }

    private static Gen<String> contentTypes() {
        return pick(Arrays.asList(null, "", "application/json", "application/json; charset=utf-16",
                "application/vnd.api+json; charset=iso-8859-1", "text/json", "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=windows-1252", "text/plain; charset=\"utf-8\"",
                "text/plain; charset=bogus", "application/xml", "image/png", "multipart/form-data", ";;", "a/b/c",
                "text/plain; charset="));
    }

    /**
     * Bytes biased towards what makes parsers stumble: JSON punctuation, escapes and UTF-8 fragments; some
     * very short; and some that are a whole JSON value, so that every body kind is reached.
     */
    private static Gen<byte[]> bodies() {
        Gen<Byte> tricky = pick(List.of((byte) '{', (byte) '}', (byte) '[', (byte) ']', (byte) '"',
                (byte) '\\', (byte) ':', (byte) ',', (byte) '%', (byte) '&', (byte) '=', (byte) '+', (byte) 'u',
                (byte) '0', (byte) 0xC3, (byte) 0xA9, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF, (byte) 0));
        Gen<Byte> anyByte = bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
        Gen<Integer> lengths = frequency(Pair.of(4, range(0, 300)), Pair.of(1, range(0, 3)));
        Gen<byte[]> json = jsonValues(3).map(PayloadPropertyTest::writeValueAsBytes);
        return frequency(
                        Pair.of(4, byteArrays(lengths, frequency(Pair.of(1, anyByte), Pair.of(1, tricky)))),
                        Pair.of(1, json))
                .describedAs(bytes -> Arrays.toString(bytes) + " = \"" + visible(new String(bytes, StandardCharsets.ISO_8859_1)) + "\"");
    }

    // ---- JSON values -----------------------------------------------------------------------------

    @Test
    void anyJsonValueSurvivesTheRoundTrip() {
        // Many repeats here (`true`, `null`, `[]`): 800 tries give 500+ distinct values.
        theory(800).forAll(jsonValues(4)).checkAssert(value -> {
            byte[] body = writeValueAsBytes(value);

            WebhookPayload payload = PARSER.parse(new InboundRequest("POST",
                    List.of(Map.entry("Content-Type", "application/json")), null, body));

            assertEquals(BodyKind.JSON, payload.bodyKind());
            assertEquals(value, payload.body());
            byte[] frame = HomeyMessageFrame.write(MAPPER, "d", "w", Instant.EPOCH, payload);
            assertTrue(isUtf8(frame), "a WebSocket text frame must be valid UTF-8");
            assertEquals(value, readTree(frame).get("body"));
        });
    }

    /** Any JSON value nested at most {@code depth} arrays or objects deep. */
    private static Gen<JsonNode> jsonValues(int depth) {
        List<Pair<Integer, Gen<JsonNode>>> kinds = new ArrayList<>();
        // JSON text is Unicode text: lone surrogates cannot be written as UTF-8, so strings are well-formed here.
        kinds.add(Pair.of(1, wellFormedStrings(0, 20, "\"\\/{}[]:,\u0000\u001F\u007F").map(NODES::textNode)));
        // Jackson reads a number into the smallest node that holds it, so generate each kind in its range.
        kinds.add(Pair.of(1, integers().all().map(NODES::numberNode)));
        kinds.add(Pair.of(1, frequency(
                        Pair.of(1, longs().between(Integer.MAX_VALUE + 1L, Long.MAX_VALUE)),
                        Pair.of(1, longs().between(Long.MIN_VALUE, Integer.MIN_VALUE - 1L)))
                .map(NODES::numberNode)));
        kinds.add(Pair.of(1, frequency(
                        // Any finite double (QuickTheories' range includes the infinities, which JSON cannot hold) ...
                        Pair.of(1, doubles().any().map(d -> Double.isFinite(d) ? d : Math.copySign(Double.MAX_VALUE, d))),
                        // ... and everyday decimals such as 12.34.
                        Pair.of(1, longs().between(-10_000_000, 10_000_000).map(cents -> cents / 100.0)))
                .map(NODES::numberNode)));
        kinds.add(Pair.of(1, pick(List.of(true, false)).map(NODES::booleanNode)));
        kinds.add(Pair.of(1, constant((JsonNode) NODES.nullNode())));
        if (depth > 0) {
            Gen<JsonNode> inner = jsonValues(depth - 1);
            kinds.add(Pair.of(1, lists().of(inner).ofSizeBetween(0, 4).map(items -> {
                ArrayNode array = NODES.arrayNode();
                items.forEach(array::add);
                return array;
            })));
            Gen<Pair<String, JsonNode>> fields = wellFormedStrings(0, 8, "\"\\.$_").zip(inner, Pair::of);
            kinds.add(Pair.of(1, lists().of(fields).ofSizeBetween(0, 4).map(pairs -> {
                ObjectNode object = NODES.objectNode();
                pairs.forEach(field -> object.set(field._1, field._2));
                return object;
            })));
        }
        return frequency(kinds).describedAs(node -> visible(node.toString()));
    }

    // ---- form encoding ---------------------------------------------------------------------------

    @Test
    void formEncodingRoundTrips() {
        theory(550).forAll(formPairs()).checkAssert(pairs -> {
            Map<String, List<String>> expected = new LinkedHashMap<>();
            StringBuilder encoded = new StringBuilder();
            for (List<String> pair : pairs) {
                if (pair.isEmpty() || !isWellFormed(pair.get(0))) {
                    continue;
                }
                String key = pair.get(0);
                String value = pair.size() > 1 && isWellFormed(pair.get(1)) ? pair.get(1) : "";
                expected.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
                encoded.append(encoded.length() == 0 ? "" : "&")
                        .append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }

            ObjectNode decoded = FormUrlEncoded.decode(encoded.toString(), StandardCharsets.UTF_8);

            ObjectNode want = NODES.objectNode();
            expected.forEach((key, values) -> {
                if (values.size() == 1) {
                    want.put(key, values.get(0));
                } else {
                    values.forEach(want.putArray(key)::add);
                }
            });
            assertEquals(want, decoded);
        });
    }

    /** Up to 6 lists of up to 3 strings: a key, a value, and one more that must be ignored. */
    private static Gen<List<List<String>>> formPairs() {
        // A few fixed components make keys repeat, which the decoder turns into arrays.
        Gen<String> components = frequency(
                Pair.of(3, strings(0, 16, "&=+%; ")),
                Pair.of(1, strings(0, 255, "&=+%; ")),
                Pair.of(3, pick(List.of("", "a", "a b", "a+b", "%", "=", "&", "\u00E4"))));
        return lists().of(lists().of(components).ofSizeBetween(0, 3)).ofSizeBetween(0, 6)
                .describedAs(PayloadPropertyTest::visible);
    }

    // ---- query strings and headers ---------------------------------------------------------------

    @Test
    void anyQueryStringDecodesWithoutThrowing() {
        Gen<String> rawQueries = strings(0, 255, "&&==%%%+;#?/ 0123456789abcdefABCDEF")
                .describedAs(s -> "\"" + visible(s) + "\"");
        theory(1050).forAll(rawQueries).checkAssert(rawQuery -> {
            ObjectNode query = PARSER.parse(new InboundRequest("GET", List.of(), rawQuery, null)).query();

            query.properties().forEach(field -> assertTrue(field.getValue().isTextual() || field.getValue().isArray()));
        });
    }

    @Test
    void anyHeadersGiveLowerCaseNamesAndStringValues() {
        Gen<String> texts = strings(0, 12, "-_:;, ÄÖÜäöüİıß");
        // Real names too, so that credential, hop-by-hop, Connection-listed and folded fields all occur.
        Gen<String> names = frequency(Pair.of(3, texts), Pair.of(2, pick(List.of("Content-Type", "AUTHORIZATION",
                "Cookie", "cookie", "X-Api-Key", "x-auth-TOKEN", "Connection", "Keep-Alive", "TE", "X-Foo", "x-foo"))));
        Gen<String> values = frequency(Pair.of(3, texts), Pair.of(1, pick(List.of("close", "X-Foo, te", "a=b"))));
        Gen<List<Map.Entry<String, String>>> fieldLists = lists().of(names.zip(values, Map::entry)).ofSizeBetween(0, 10);
        theory(550).forAll(fieldLists.describedAs(PayloadPropertyTest::visible)).checkAssert(received -> {
            ObjectNode headers = PARSER.parse(new InboundRequest("GET", received, null, null)).headers();

            headers.properties().forEach(field -> {
                assertEquals(field.getKey().toLowerCase(Locale.ROOT), field.getKey());
                assertTrue(field.getValue().isTextual());
            });
            assertEquals(headers.size(), HeaderRedaction.redact(headers).size());
        });
    }

    // ---- generators and helpers ------------------------------------------------------------------

    /**
     * Strings of {@code minLength..maxLength} UTF-16 chars drawn from all of them: any BMP char including
     * lone surrogates, unassigned, private-use and noncharacters, well-formed surrogate pairs, ASCII
     * including controls, and (often) the {@code favoured} chars that matter to the code under test.
     */
    private static Gen<String> strings(int minLength, int maxLength, String favoured) {
        return UnicodeStrings.strings(minLength, maxLength, favoured, true);
    }

    /** As {@link #strings(int, int, String)}, but surrogates only in well-formed pairs: any valid text. */
    private static Gen<String> wellFormedStrings(int minLength, int maxLength, String favoured) {
        return UnicodeStrings.strings(minLength, maxLength, favoured, false);
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] writeValueAsBytes(JsonNode value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isWellFormed(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }

    /** Printable ASCII kept, everything else as a {@code \\uXXXX} escape, so failure reports are legible. */
    private static String visible(Object value) {
        String s = value instanceof List<?> list
                ? list.stream().map(PayloadPropertyTest::visible).collect(Collectors.joining(", ", "[", "]"))
                : value instanceof Map.Entry<?, ?> entry
                        ? "\"" + visible(entry.getKey()) + "\": \"" + visible(entry.getValue()) + "\""
                        : String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= ' ' && c <= '~') {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out.toString();
    }
}
