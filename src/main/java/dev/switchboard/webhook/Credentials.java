package dev.switchboard.webhook;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Generates and checks the identifiers and secrets that DESIGN.md specifies. */
public final class Credentials {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    private static final HexFormat HEX = HexFormat.of();

    private Credentials() {
    }

    /** 24 lowercase hex characters: 96 random bits, used for webhook and Homey IDs. */
    public static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** 256 random bits as URL-safe base64 without padding (43 characters). */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean isWellFormedId(String candidate) {
        return candidate != null && ID.matcher(candidate).matches();
    }

    /** Constant-time comparison, so response timing reveals nothing about how much of a secret was right. */
    public static boolean secretsMatch(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
