package dev.switchboard.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ForwardedHeadersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static List<Map.Entry<String, String>> fields(String... namesAndValues) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
        }
        return fields;
    }

    private static void assertHeaders(String expectedJson, List<Map.Entry<String, String>> received) throws Exception {
        assertEquals(MAPPER.readTree(expectedJson.replace('\'', '"')), ForwardedHeaders.of(received));
    }

    @Test
    void lowerCasesNamesAndKeepsValues() throws Exception {
        assertHeaders("{'content-type':'application/json; charset=utf-8','x-device-id':'AaA','x-tuya-key':''}",
                fields("Content-Type", "application/json; charset=utf-8", "X-Device-ID", "AaA", "X-TUYA-KEY", ""));
    }

    @Test
    void foldsRepeatedFieldsInArrivalOrder() throws Exception {
        assertHeaders("{'x-tag':'a, b, c','accept':'text/plain'}",
                fields("X-Tag", "a", "Accept", "text/plain", "x-tag", "b", "X-TAG", "c"));
    }

    @Test
    void rejoinsSplitCookiesWithSemicolons() throws Exception {
        assertHeaders("{'cookie':'a=1; b=2'}", fields("cookie", "a=1", "Cookie", "b=2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
        "Proxy-Connection", "TE", "Trailer", "Trailers", "Transfer-Encoding", "Upgrade"})
    void dropsHopByHopFields(String name) throws Exception {
        assertHeaders("{'x-device-id':'aaa'}", fields(name, "x", "X-Device-Id", "aaa"));
    }

    @Test
    void dropsFieldsNamedInConnection() throws Exception {
        assertHeaders("{'content-length':'2','x-keep':'k'}",
                fields("Connection", "keep-alive, X-Hop", "X-Hop", "1", "connection", " x-other ,", "X-Other", "2",
                        "Content-Length", "2", "X-Keep", "k"));
    }

    @Test
    void toleratesNullNamesAndValues() throws Exception {
        List<Map.Entry<String, String>> received = new ArrayList<>();
        received.add(new java.util.AbstractMap.SimpleEntry<>(null, "v"));
        received.add(new java.util.AbstractMap.SimpleEntry<>("X-Null", null));
        received.add(new java.util.AbstractMap.SimpleEntry<>("Connection", null));

        assertHeaders("{'x-null':''}", received);
    }

    @Test
    void firstFindsTheFirstValueByAnyCase() {
        List<Map.Entry<String, String>> received = fields("CONTENT-type", "text/plain", "Content-Type", "text/xml");

        assertEquals("text/plain", ForwardedHeaders.first(received, "content-type"));
        assertNull(ForwardedHeaders.first(received, "x-missing"));
    }
}
