package dev.switchboard.webhook.keypath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The text a JSON scalar is compared by, so that {@code 42}, {@code 42.0} and {@code "42"} match,
 * and so do {@code true} and {@code "true"}. It is the text ECMAScript's {@code String(value)}
 * gives, because Homey apps declare their keys from JavaScript.
 *
 * <ul>
 *   <li>string: itself</li>
 *   <li>boolean: {@code "true"} / {@code "false"}</li>
 *   <li>floating-point number: ECMAScript Number::toString of its double value ({@code 1.5},
 *       {@code 1e+21}, {@code 0.000001}, {@code 1e-7}; {@code 42.0} and {@code -0} give
 *       {@code "42"} and {@code "0"})</li>
 *   <li>integer number (a JSON number without fraction or exponent): its exact decimal digits.
 *       Apps put 64-bit ids in JSON; JavaScript would round {@code 9007199254740993} to
 *       {@code 9007199254740992}, so two devices would share a key and neither could be declared
 *       exactly as a string. Below 2^53 this is the same text JavaScript gives.</li>
 *   <li>null, object, array, missing (and binary or POJO nodes): no text</li>
 * </ul>
 */
public final class CanonicalValue {

    private CanonicalValue() {
    }

    public static Optional<String> of(JsonNode node) {
        return Optional.ofNullable(textOrNull(node));
    }

    /** {@link #of} without the Optional, for the per-request evaluation path. */
    static String textOrNull(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        if (node.isIntegralNumber()) {
            return node.isBigInteger() ? node.bigIntegerValue().toString() : Long.toString(node.longValue());
        }
        if (node.isNumber()) {
            return EcmaScriptNumberText.of(node.doubleValue());
        }
        return null;
    }
}
