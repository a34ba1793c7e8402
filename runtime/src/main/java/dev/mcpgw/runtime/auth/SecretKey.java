package dev.mcpgw.runtime.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The runtime's SECRET_KEY, from which the keys that sign session cookies and derive CSRF tokens are made
 * (one per purpose, so a value made for one can never pass as the other). Every replica with the same
 * SECRET_KEY accepts the same sessions.
 */
public final class SecretKey {

    /** Fewer characters than this is refused: a short key could be guessed offline from one cookie. */
    public static final int MIN_LENGTH = 32;

    private final byte[] key;

    private SecretKey(byte[] key) {
        this.key = key;
    }

    /** @throws IllegalArgumentException with what to do, when the key is too short */
    public static SecretKey of(String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("SECRET_KEY must be at least " + MIN_LENGTH
                    + " characters; generate one with: openssl rand -hex 32");
        }
        return new SecretKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A random key for one process (--dev): sessions do not survive a restart or reach another replica. */
    public static SecretKey random() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new SecretKey(bytes);
    }

    /** HMAC-SHA256 of {@code data} under the key made for {@code purpose}. */
    byte[] sign(String purpose, byte[] data) {
        return mac(mac(key, purpose.getBytes(StandardCharsets.UTF_8)), data);
    }

    private static byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
