package io.switchboard.apikey;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The key format: {@code sb_} + 32 random bytes in base64url without padding (43 characters). The
 * prefix marks a credential as an API key rather than a JWT, and makes leaked keys easy to scan for.
 */
@ApplicationScoped
class ApiKeySecrets {

    static final String KEY_PREFIX = "sb_";
    private static final int RANDOM_BYTES = 32;
    /** Characters of the random part shown in listings: 48 bits, leaving 208 secret. */
    private static final int DISPLAYED_RANDOM_CHARS = 8;
    private static final Pattern WELL_FORMED = Pattern.compile("sb_[A-Za-z0-9_-]{43}");

    // An instance field of a bean created at run time: a SecureRandom must never be seeded at
    // native-image build time and end up in the image heap.
    private final SecureRandom random = new SecureRandom();

    String newKey() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String displayPrefix(String key) {
        return key.substring(0, KEY_PREFIX.length() + DISPLAYED_RANDOM_CHARS);
    }

    /** Whether a credential can be a key at all; anything else is refused without a database look-up. */
    static boolean isWellFormed(String key) {
        return key != null && WELL_FORMED.matcher(key).matches();
    }

    /**
     * SHA-256 of the whole key, as hex. A fast unsalted hash is right here, unlike for passwords: the
     * key carries 256 random bits, so there is nothing to guess or precompute, and a deterministic
     * hash lets every authentication find its key with one indexed look-up.
     */
    static String hash(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
