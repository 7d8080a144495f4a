package dev.switchboard.webhook.keypath;

import java.util.Objects;

/** One step of a key path after its root: {@code .name}, {@code ['name']} or {@code [index]}. */
public sealed interface Accessor permits Accessor.Property, Accessor.Index {

    /**
     * A named key, written {@code .name}, {@code ['name']} or {@code ["name"]}. On an array it
     * indexes when the name is a canonical integer such as {@code "3"}, as in ECMAScript.
     */
    record Property(String name) implements Accessor {
        public Property {
            Objects.requireNonNull(name, "name");
            int unpaired = Surrogates.firstUnpaired(name);
            if (unpaired >= 0) {
                // The parser rejects these too; allowing them here would break canonical() round-trips.
                throw new IllegalArgumentException("name has an unpaired surrogate at index " + unpaired);
            }
        }
    }

    /** A non-negative integer, written {@code [3]}. On an object it looks up the key {@code "3"}, as in ECMAScript. */
    record Index(int index) implements Accessor {
        public Index {
            if (index < 0) {
                throw new IllegalArgumentException("index must not be negative: " + index);
            }
        }
    }
}
