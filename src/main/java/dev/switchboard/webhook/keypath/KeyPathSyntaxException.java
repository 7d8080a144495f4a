package dev.switchboard.webhook.keypath;

/**
 * A key path that does not follow the key path language. Carries the position of the error so
 * that the portal can point at it when a registration or app setting is saved.
 */
public final class KeyPathSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int position;
    private final String reason;

    public KeyPathSyntaxException(String reason, int position) {
        super(reason + " at position " + position);
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        this.reason = reason;
        this.position = position;
    }

    /** 0-based index of the offending UTF-16 char in the source; the source length means "at the end". */
    public int position() {
        return position;
    }

    /** What is wrong, as a sentence without the position, e.g. "expected an identifier after '.'". */
    public String reason() {
        return reason;
    }
}
