package dev.switchboard.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hides credentials in headers before they are stored in the delivery log, which developers browse and
 * share. Homeys still receive the headers unredacted: an app may need to check them.
 *
 * <p>A header is a credential when its name (any case) contains one of {@link #CREDENTIAL_NAME_PARTS} or ends in
 * {@code -key} or {@code _key}: {@code authorization}, {@code proxy-authorization}, {@code cookie}, {@code x-api-key},
 * {@code x-auth-token}, {@code x-amz-security-token}, {@code x-webhook-secret}, {@code x-tuya-key}, and signatures
 * ({@code x-hub-signature-256}, {@code stripe-signature}): a log is shared and pasted into issues, and a signature
 * lets whoever holds it replay that body, so it is hidden too (Homeys still receive every header).
 */
public final class HeaderRedaction {

    public static final String REDACTED = "[redacted]";

    static final List<String> CREDENTIAL_NAME_PARTS =
            List.of("auth", "cookie", "secret", "token", "signature", "password", "passwd", "api-key", "apikey",
                    "credential", "session");

    private HeaderRedaction() {
    }

    /** A copy of {@code headers} with credential values replaced by {@value #REDACTED}; the input is untouched. */
    public static ObjectNode redact(ObjectNode headers) {
        ObjectNode copy = headers.objectNode();
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            copy.set(header.getKey(), isCredential(header.getKey())
                    ? copy.textNode(REDACTED)
                    : header.getValue().deepCopy());
        }
        return copy;
    }

    public static boolean isCredential(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        if (name.endsWith("-key") || name.endsWith("_key")) {
            return true;
        }
        for (String part : CREDENTIAL_NAME_PARTS) {
            if (name.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
