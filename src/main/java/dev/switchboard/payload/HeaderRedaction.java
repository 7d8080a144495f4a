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
 * <p>A header is a credential when its name contains one of {@link #CREDENTIAL_NAME_PARTS}; that covers
 * {@code authorization}, {@code proxy-authorization}, {@code cookie}, {@code set-cookie}, {@code x-api-key},
 * {@code x-auth-token}, {@code x-amz-security-token}, {@code x-webhook-secret} and the like. Signature
 * headers ({@code x-hub-signature-256}, {@code stripe-signature}) are kept: a signature proves one body
 * and cannot be replayed for another, and developers need to see it to debug their verification.
 */
public final class HeaderRedaction {

    public static final String REDACTED = "[redacted]";

    static final List<String> CREDENTIAL_NAME_PARTS =
            List.of("authorization", "cookie", "secret", "token", "password", "api-key", "apikey");

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
        for (String part : CREDENTIAL_NAME_PARTS) {
            if (name.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
