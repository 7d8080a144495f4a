package dev.switchboard.delivery;

import java.time.Duration;

/**
 * A request could not be durably recorded (queue full, database failing, shutting down). The sender must get
 * {@code 503} with {@code Retry-After}: never a 200 for something that may be lost.
 */
public class RecordingUnavailable extends RuntimeException {

    private final transient Duration retryAfter;

    public RecordingUnavailable(String message, Duration retryAfter) {
        this(message, retryAfter, null);
    }

    // No stack trace: this is an operating condition, raised most often exactly when the app is overloaded.
    public RecordingUnavailable(String message, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
