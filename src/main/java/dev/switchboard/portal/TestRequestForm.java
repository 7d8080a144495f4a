package dev.switchboard.portal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.switchboard.payload.InboundRequest;

/**
 * The simulator's test request as typed: method, headers ({@code Name: value} per line), query string and body.
 * {@code simulator.js} reads the same fields with the same rules to send it to the sender endpoint; this class reads
 * them for the key-path tester, which must see the request exactly as that endpoint would.
 */
public record TestRequestForm(String method, String headers, String query, String body, String keyPath) {

    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /** RFC 9110 token characters. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    static TestRequestForm defaults(String keyPath) {
        return new TestRequestForm("POST", "Content-Type: application/json", "", "{\"device_id\": \"abc\"}",
                keyPath == null ? "" : keyPath);
    }

    /** Field errors, each null when the field is fine. */
    public record Errors(String method, String headers, String query, String body) {
        public boolean any() {
            return method != null || headers != null || query != null || body != null;
        }
    }

    /** The request, or why not; {@code request} is null when {@code errors.any()}. */
    public record Parsed(InboundRequest request, Errors errors) {
    }

    public TestRequestForm {
        method = method == null ? "" : method.strip().toUpperCase(Locale.ROOT);
        headers = headers == null ? "" : headers;
        query = query == null ? "" : query.strip();
        // Browsers submit textarea line breaks as CRLF; the page's own send uses the field's value, with LF.
        body = body == null ? "" : body.replace("\r\n", "\n");
        keyPath = keyPath == null ? "" : keyPath;
    }

    Parsed parse(long maxBodyBytes) {
        String methodError = METHODS.contains(method) ? null : "Choose GET, POST, PUT, PATCH or DELETE";
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        String headersError = readHeaders(fields);
        String rawQuery = query.startsWith("?") ? query.substring(1) : query;
        String queryError = rawQuery.contains("#") ? "A query string cannot contain #" : null;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String bodyError = bytes.length > maxBodyBytes
                ? "The sender endpoint accepts at most " + maxBodyBytes + " bytes; this body has " + bytes.length
                : null;
        Errors errors = new Errors(methodError, headersError, queryError, bodyError);
        if (errors.any()) {
            return new Parsed(null, errors);
        }
        return new Parsed(new InboundRequest(method, fields, rawQuery.isEmpty() ? null : rawQuery, bytes), errors);
    }

    /** Fills {@code into}; the first problem, naming its line, or null. */
    private String readHeaders(List<Map.Entry<String, String>> into) {
        String[] lines = headers.split("\\r?\\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                return "Line " + (i + 1) + ": write it as Name: value";
            }
            String name = line.substring(0, colon).strip();
            if (!HEADER_NAME.matcher(name).matches()) {
                return "Line " + (i + 1) + ": \"" + name + "\" is not a valid header name";
            }
            into.add(Map.entry(name, line.substring(colon + 1).strip()));
        }
        return null;
    }
}
