package dev.switchboard.portal;

import dev.switchboard.webhook.keypath.KeyPath;
import dev.switchboard.webhook.keypath.KeyPathSyntaxException;

/** The verdict on a key path as typed, shown under the editor while typing and after a save. */
public record KeyPathCheck(String source, boolean empty, boolean valid, String canonical, String message, String caret,
        boolean hasLegacyFunction) {

    static KeyPathCheck of(String source, boolean hasLegacyFunction) {
        if (source == null || source.isBlank()) {
            return new KeyPathCheck("", true, true, null, null, null, hasLegacyFunction);
        }
        try {
            KeyPath path = KeyPath.parse(source);
            return new KeyPathCheck(source, false, true, path.canonical(), null, null, hasLegacyFunction);
        } catch (KeyPathSyntaxException e) {
            int position = Math.min(e.position(), source.length());
            return new KeyPathCheck(source, false, false, null, e.getMessage(), " ".repeat(position) + "^",
                    hasLegacyFunction);
        }
    }
}
