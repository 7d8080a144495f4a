package dev.switchboard.webhook;

/** Lets tests outside this package seal a secret the way the app does, for rows they insert themselves. */
public final class TestSecrets {

    private TestSecrets() {
    }

    public static String encrypt(String base64Key, String webhookId, String secret) {
        return new SecretCipher(base64Key).encrypt(webhookId, secret);
    }
}
