package dev.switchboard.webhook;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Generates and checks the identifiers and secrets that DESIGN.md specifies. */
public final class Credentials {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{24}");
    private static final HexFormat HEX = HexFormat.of();

    private Credentials() {
    }

    /** 24 lowercase hex characters: 96 random bits, used for webhook and Homey IDs. */
    public static String newId() {
        return HEX.formatHex(randomBytes(12));
    }

    /** 256 random bits as URL-safe base64 without padding (43 characters). */
    public static String newSecret() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    }

    /**
     * From a generator made now: none is kept in a static field, because a native image initialises classes at build
     * time, and GraalVM refuses a seeded generator in the image heap (one that got there would repeat itself in every
     * process). IDs and secrets are made once per webhook or Homey, so making the generator costs nothing that shows.
     */
    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
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
