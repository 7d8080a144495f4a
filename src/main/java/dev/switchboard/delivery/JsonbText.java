package dev.switchboard.delivery;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * JSON text that PostgreSQL's {@code jsonb} accepts. jsonb rejects the escape {@code \u0000}, which a sender can
 * put in any string; one such request must not fail the whole batch it was committed with, so NUL characters
 * become U+FFFD (the log shows the substitute, the raw body keeps the exact bytes).
 */
final class JsonbText {

    private static final String NUL_ESCAPE = "\\u0000";
    private static final String REPLACEMENT = "\uFFFD";

    private JsonbText() {
    }

    /** The JSON text of {@code node}, or null for a null reference. */
    static String of(ObjectMapper mapper, JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            String text = mapper.writeValueAsString(node);
            // Cheap test first: almost no request has a NUL, so the tree is copied only when one is present.
            return text.contains(NUL_ESCAPE) ? mapper.writeValueAsString(withoutNul(node)) : text;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JSON tree cannot be written", e);
        }
    }

    static String withoutNul(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace("\0", REPLACEMENT);
    }

    private static JsonNode withoutNul(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(withoutNul(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(withoutNul(field.getKey()), withoutNul(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(element -> copy.add(withoutNul(element)));
            return copy;
        }
        return node;
    }
}
