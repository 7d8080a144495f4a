package dev.switchboard.payload;

/** How a request body was interpreted; decides what {@link WebhookPayload#body()} holds. */
public enum BodyKind {
    /** A JSON media type (or no content type) whose bytes parsed: the body is the parsed tree. */
    JSON,
    /** {@code application/x-www-form-urlencoded}: the body is an object of strings and string arrays. */
    FORM,
    /** {@code text/*}, XML, or untyped valid UTF-8 text: the body is the decoded string. */
    TEXT,
    /** A JSON media type whose bytes did not parse (or nested too deeply): the body is the raw text. */
    MALFORMED_JSON,
    /** Any other media type, or untyped bytes that are not text: the body is {@code {}}. */
    BINARY,
    /** No body bytes at all: the body is {@code {}} and there is no raw body. */
    EMPTY
}
