package dev.switchboard.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.SwitchboardConfig;

/**
 * Encrypts webhook secrets at rest with AES-256-GCM. Stored form: {@code v1:} + base64(iv || ciphertext+tag).
 * The webhook ID is bound as associated data, so a ciphertext copied onto another row does not decrypt.
 */
@ApplicationScoped
public class SecretCipher {

    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    @jakarta.inject.Inject
    public SecretCipher(SwitchboardConfig config) {
        this(config.secrets().encryptionKey());
    }

    SecretCipher(String base64Key) {
        this.key = keyFrom(base64Key);
    }

    private static SecretKeySpec keyFrom(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("switchboard.secrets.encryption-key is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("switchboard.secrets.encryption-key must decode to 32 bytes (AES-256), got "
                    + raw.length + "; generate one with `openssl rand -base64 32`");
        }
        return new SecretKeySpec(raw, "AES");
    }

    public String encrypt(String webhookId, String secret) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(webhookId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(IV_BYTES + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    public String decrypt(String webhookId, String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("Unknown secret format for webhook " + webhookId);
        }
        byte[] blob = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, blob, 0, IV_BYTES));
            cipher.updateAAD(webhookId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(blob, IV_BYTES, blob.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Secret of webhook " + webhookId
                    + " does not decrypt: was switchboard.secrets.encryption-key changed?", e);
        }
    }
}
