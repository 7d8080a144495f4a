package dev.switchboard.webhook;

import java.util.Optional;

/** Checks that an imported legacy function compiles; implemented by the sandbox that will run it. */
public interface LegacyFunctionCheck {

    /** A message naming the line and column of the first syntax error, or empty when the body compiles. */
    Optional<String> syntaxError(String functionBody);
}
