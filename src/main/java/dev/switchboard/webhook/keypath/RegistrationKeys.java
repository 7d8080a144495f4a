package dev.switchboard.webhook.keypath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The keys a webhook registration declares in its {@code data}: {@code $key} and the elements of
 * {@code $keys}, as canonical texts (see {@link CanonicalValue}) comparable with what a
 * {@link KeyPath} finds in a request. Both fields accept a scalar or an array of scalars, because
 * apps in the wild use either shape for either field.
 */
public final class RegistrationKeys {

    static final String KEY = "$key";
    static final String KEYS = "$keys";

    private RegistrationKeys() {
    }

    /**
     * The declared keys, in declaration order without duplicates; empty when {@code data} is not
     * an object. Values {@link #validate} would reject (null, objects, nested arrays) are skipped.
     */
    public static Set<String> of(JsonNode data) {
        if (data == null || !data.isObject()) {
            return Set.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        collect(data.get(KEY), keys);
        collect(data.get(KEYS), keys);
        return Collections.unmodifiableSet(keys);
    }

    /**
     * Why {@code data} cannot be accepted as a registration's data, or empty if it can. Missing
     * {@code $key} and {@code $keys} are fine here; whether a registration needs keys is not a
     * question of shape.
     */
    public static Optional<String> validate(JsonNode data) {
        if (data == null || !data.isObject()) {
            return Optional.of("data must be a JSON object");
        }
        Optional<String> keyProblem = problemWith(KEY, data.get(KEY));
        return keyProblem.isPresent() ? keyProblem : problemWith(KEYS, data.get(KEYS));
    }

    private static void collect(JsonNode value, Set<String> keys) {
        if (value == null) {
            return;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                CanonicalValue.of(element).ifPresent(keys::add);
            }
        } else {
            CanonicalValue.of(value).ifPresent(keys::add);
        }
    }

    private static Optional<String> problemWith(String field, JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return Optional.empty();
        }
        String expected = " must be a string, number or boolean";
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                if (CanonicalValue.of(value.get(i)).isEmpty()) {
                    return Optional.of("data." + field + "[" + i + "]" + expected);
                }
            }
            return Optional.empty();
        }
        if (CanonicalValue.of(value).isEmpty()) {
            return Optional.of("data." + field + expected + ", or an array of them");
        }
        return Optional.empty();
    }
}
