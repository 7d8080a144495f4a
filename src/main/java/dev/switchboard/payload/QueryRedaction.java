package dev.switchboard.payload;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hides credentials in a query string before the delivery log shows it (portal, API, fixture.json) and leaves them
 * out of the curl copy: senders put tokens, keys and signatures in URLs too ({@code ?access_token=},
 * {@code ?sig=}, S3-style {@code X-Amz-Signature}). Homeys still receive the query unredacted.
 *
 * <p>A parameter is a credential when its name (any case, {@code -} read as {@code _}) is one of {@link #NAMES}, contains
 * one of {@link #NAME_PARTS}, or ends in {@code _key} or {@code _sig}.
 */
public final class QueryRedaction {

    /** The redacted value, percent-encoded as it stands in a query string: {@code [redacted]} once decoded. */
    static final String REDACTED_ENCODED = "%5Bredacted%5D";

    static final Set<String> NAMES = Set.of("key", "sig", "code", "pass", "pwd", "hmac", "hash");
    static final List<String> NAME_PARTS = List.of("token", "secret", "signature", "password", "passwd", "auth",
            "apikey", "api_key", "credential", "session");

    private QueryRedaction() {
    }

    public static boolean isCredential(String parameterName) {
        String name = parameterName.toLowerCase(Locale.ROOT).replace('-', '_');
        if (NAMES.contains(name) || name.endsWith("_key") || name.endsWith("_sig")) {
            return true;
        }
        for (String part : NAME_PARTS) {
            if (name.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** {@code rawQuery} (without {@code ?}) with each credential's value replaced; null stays null. */
    public static String redact(String rawQuery) {
        return rewrite(rawQuery, true);
    }

    /** {@code rawQuery} without its credential parameters; null when nothing is left. */
    public static String withoutCredentials(String rawQuery) {
        return rewrite(rawQuery, false);
    }

    private static String rewrite(String rawQuery, boolean keepRedacted) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return rawQuery;
        }
        List<String> parts = new ArrayList<>();
        for (String part : rawQuery.split("&", -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (!isCredential(decode(name))) {
                parts.add(part);
            } else if (keepRedacted) {
                parts.add(name + "=" + REDACTED_ENCODED);
            }
        }
        return parts.isEmpty() ? null : String.join("&", parts);
    }

    private static String decode(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }
}
