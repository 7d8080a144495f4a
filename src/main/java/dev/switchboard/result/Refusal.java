package dev.switchboard.result;

import java.util.List;

/**
 * Why a service did not do what it was asked, in the service's words: a stable {@code code} and a message for people.
 * Services return it instead of throwing; each face says it its own way (the API as problem+json, the portal as its
 * error page or a message next to the form).
 *
 * @param fields the invalid inputs, for {@link Kind#INVALID}; empty when the input was fine but a limit was reached
 */
public record Refusal(Kind kind, String code, String detail, List<InvalidField> fields) {

    public enum Kind {
        /** Nothing with this ID belongs to the caller. */
        NOT_FOUND,
        /** The input, or what it asks for, is not acceptable as it is. */
        INVALID,
        /** The thing is in a state that does not allow it. */
        CONFLICT
    }

    /** One input that is not acceptable; {@code position} is the 0-based character offset of the error, if known. */
    public record InvalidField(String field, String message, Integer position) {
        public static InvalidField of(String field, String message) {
            return new InvalidField(field, message, null);
        }
    }

    public static Refusal notFound(String code, String detail) {
        return new Refusal(Kind.NOT_FOUND, code, detail, List.of());
    }

    public static Refusal invalid(InvalidField field) {
        return new Refusal(Kind.INVALID, "invalid_input", "The request has invalid fields", List.of(field));
    }

    /** The input is fine, but a limit forbids doing more of it (e.g. too many webhooks). */
    public static Refusal limitReached(String code, String detail) {
        return new Refusal(Kind.INVALID, code, detail, List.of());
    }

    public static Refusal conflict(String code, String detail) {
        return new Refusal(Kind.CONFLICT, code, detail, List.of());
    }

    /** What to show next to a form: the first invalid field's message, else the detail. */
    public String message() {
        return fields.isEmpty() ? detail : fields.get(0).message();
    }
}
