package dev.switchboard.payload;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A webhook request as the sender endpoint received it, before any interpretation.
 *
 * @param method   HTTP method, as received (e.g. {@code POST})
 * @param headers  header fields in arrival order, names in any case, one entry per field line
 * @param rawQuery the undecoded query string after {@code ?} (without it); null when the URL had none
 * @param body     the exact bytes of the request body; empty when there was none
 */
public record InboundRequest(String method, List<Map.Entry<String, String>> headers, String rawQuery, byte[] body) {

    public InboundRequest {
        Objects.requireNonNull(method, "method");
        headers = headers == null ? List.of() : List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }
}
