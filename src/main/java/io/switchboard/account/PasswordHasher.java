package io.switchboard.account;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Password hashes: bcrypt (Quarkus' {@link BcryptUtil}, Elytron's implementation) with a random salt
 * per password, in Modular Crypt Format ({@code $2a$10$...}).
 *
 * <p>bcrypt reads at most 72 bytes, and a password may be 128 characters (up to 512 UTF-8 bytes), so
 * what bcrypt hashes is the password's SHA-256 in base64 (44 ASCII characters): every character of
 * the password counts, and none can be a NUL that ends bcrypt's input early.
 */
@ApplicationScoped
class PasswordHasher {

    private static final int SALT_BYTES = 16;

    private final int cost;
    // An instance field of a bean created at run time: a SecureRandom must never be seeded at
    // native-image build time and end up in the image heap.
    private final SecureRandom random = new SecureRandom();
    /** Checked against when the username is unknown, so that answer takes as long as a wrong password. */
    private final String decoy;

    PasswordHasher(AccountsConfig config) {
        this.cost = config.bcryptCost();
        this.decoy = hash("no account has this password " + random.nextLong());
    }

    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return BcryptUtil.bcryptHash(prehash(password), cost, salt);
    }

    boolean matches(String password, String hash) {
        return BcryptUtil.matches(prehash(password), hash);
    }

    /** Spends the time of one check, for a username with no account. */
    void matchesNothing(String password) {
        matches(password, decoy);
    }

    private static String prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
