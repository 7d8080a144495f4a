package dev.switchboard.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class SecretCipherTest {

    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void roundTripsAndUsesAFreshIvEachTime() {
        SecretCipher cipher = new SecretCipher(KEY);
        String a = cipher.encrypt("56db7fb12dcf75604ea7977d", "s3cret");
        String b = cipher.encrypt("56db7fb12dcf75604ea7977d", "s3cret");
        assertNotEquals(a, b);
        assertEquals("s3cret", cipher.decrypt("56db7fb12dcf75604ea7977d", a));
    }

    @Test
    void ciphertextIsBoundToItsWebhook() {
        SecretCipher cipher = new SecretCipher(KEY);
        String sealed = cipher.encrypt("56db7fb12dcf75604ea7977d", "s3cret");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt("000000000000000000000000", sealed));
    }

    @Test
    void refusesKeysThatAreNotAes256() {
        assertThrows(IllegalStateException.class, () -> new SecretCipher("c2hvcnQ="));
        assertThrows(IllegalStateException.class, () -> new SecretCipher("not base64!"));
    }
}
