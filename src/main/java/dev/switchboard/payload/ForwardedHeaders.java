package dev.switchboard.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns received header fields into the {@code headers} object a Homey app reads, e.g.
 * {@code headers['x-tuya-key']}: one lower-cased name per field, repeated fields folded into one value.
 */
final class ForwardedHeaders {

    /**
     * Hop-by-hop fields (RFC 9110 §7.6.1) describe the sender's connection to us, not the webhook, so a
     * Homey never sees them. {@code proxy-connection} is not standard but is treated the same by common
     * proxies; {@code content-length} is end-to-end and kept, since apps may read it.
     */
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
            "te", "trailer", "trailers", "transfer-encoding", "upgrade");

    private ForwardedHeaders() {
    }

    static ObjectNode of(List<Map.Entry<String, String>> received) {
        Set<String> connectionOptions = connectionOptions(received);
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, String> field : received) {
            if (field.getKey() == null) {
                continue;
            }
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || connectionOptions.contains(name)) {
                continue;
            }
            String value = field.getValue() == null ? "" : field.getValue();
            JsonNode previous = headers.get(name);
            headers.put(name, previous == null ? value : previous.textValue() + separator(name) + value);
        }
        return headers;
    }

    /** The first value of a header, by case-insensitive name; null when absent. */
    static String first(List<Map.Entry<String, String>> received, String name) {
        for (Map.Entry<String, String> field : received) {
            if (name.equalsIgnoreCase(field.getKey())) {
                return field.getValue();
            }
        }
        return null;
    }

    /** Any field named in Connection is hop-by-hop too (RFC 9110 §7.6.1). */
    private static Set<String> connectionOptions(List<Map.Entry<String, String>> received) {
        Set<String> options = new HashSet<>();
        for (Map.Entry<String, String> field : received) {
            if ("connection".equalsIgnoreCase(field.getKey()) && field.getValue() != null) {
                for (String option : field.getValue().split(",")) {
                    options.add(option.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return options;
    }

    /**
     * HTTP/2 and HTTP/3 split Cookie into one field per cookie; they rejoin with "; " (RFC 9113 §8.2.3),
     * which is also the only form cookie parsers accept. Every other field folds with ", " (RFC 9110 §5.3).
     */
    private static String separator(String name) {
        return name.equals("cookie") ? "; " : ", ";
    }
}
