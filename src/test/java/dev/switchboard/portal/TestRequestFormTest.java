package dev.switchboard.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.switchboard.payload.InboundRequest;

class TestRequestFormTest {

    @Test
    void readsTheRequestAsTyped() {
        TestRequestForm form = new TestRequestForm(" post ", "Content-Type: application/json\r\n\r\n  X-Device-Id :  abc \n",
                "?device=abc&x=1", "{\"a\": 1}\r\n", "body.a");
        TestRequestForm.Parsed parsed = form.parse(1024);
        assertFalse(parsed.errors().any());
        InboundRequest request = parsed.request();
        assertEquals("POST", request.method());
        assertEquals(List.of(Map.entry("Content-Type", "application/json"), Map.entry("X-Device-Id", "abc")),
                request.headers());
        assertEquals("device=abc&x=1", request.rawQuery());
        // Textareas submit CRLF; the page's own send uses LF, so the tester does too.
        assertArrayEquals("{\"a\": 1}\n".getBytes(StandardCharsets.UTF_8), request.body());
    }

    @Test
    void anEmptyQueryIsNoQuery() {
        assertNull(new TestRequestForm("GET", "", " ", "", "").parse(10).request().rawQuery());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Content-Type application/json | Line 1: write it as Name: value",
        "X-Ok: 1\\nBad Name: 2 | Line 2: \"Bad Name\" is not a valid header name",
        ": no name | Line 1: \"\" is not a valid header name",
    })
    void headerLinesThatAreNotHeadersAreNamed(String headers, String message) {
        TestRequestForm.Parsed parsed = new TestRequestForm("POST", headers.replace("\\n", "\n"), "", "", "")
                .parse(1024);
        assertEquals(message, parsed.errors().headers());
        assertNull(parsed.request());
    }

    @Test
    void otherFieldErrors() {
        TestRequestForm.Errors errors = new TestRequestForm("TRACE", "", "a=1#frag", "x".repeat(11), "").parse(10)
                .errors();
        assertTrue(errors.any());
        assertEquals("Choose GET, POST, PUT, PATCH or DELETE", errors.method());
        assertEquals("A query string cannot contain #", errors.query());
        assertEquals("The sender endpoint accepts at most 10 bytes; this body has 11", errors.body());
        assertNull(errors.headers());
    }
}
