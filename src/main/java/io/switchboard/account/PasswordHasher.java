package io.switchboard.account;

import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Password hashes: bcrypt (Quarkus' {@link BcryptUtil}, Elytron's implementation) with a random salt
 * per password, in Modular Crypt Format ({@code $2a$10$...}).
 *
 * <p>bcrypt reads at most 72 bytes, and a password may be 128 characters (up to 512 UTF-8 bytes), so
 * what bcrypt hashes is the password's SHA-256 in base64 (44 ASCII characters): every character of
 * the password counts, and none can be a NUL that ends bcrypt's input early.
 *
 * <p>A username with no account gets an imitated check ({@link #matchesNothing}): as long as a real
 * one, without its CPU work. Its duration is drawn from the durations of the latest real checks on
 * this replica (seeded at start by timing a hash of the configured cost), so it follows them when
 * the replica is busy and checks slow down, and the answers' timing does not tell the two apart.
 */
@ApplicationScoped
class PasswordHasher {

    private static final int SALT_BYTES = 16;
    /** How many of the latest real checks an imitated one draws its duration from. */
    private static final int REMEMBERED_CHECKS = 32;

    private final int cost;
    // An instance field of a bean created at run time: a SecureRandom must never be seeded at
    // native-image build time and end up in the image heap.
    private final SecureRandom random = new SecureRandom();
    private final AtomicLongArray recentCheckNanos = new AtomicLongArray(REMEMBERED_CHECKS);
    private final AtomicInteger nextCheck = new AtomicInteger();

    PasswordHasher(AccountsConfig config) {
        this.cost = config.bcryptCost();
        // Timed the second time: the first runs before the JIT has compiled bcrypt, several times slower.
        hash("no account has this password " + random.nextLong());
        long start = System.nanoTime();
        hash("no account has this password " + random.nextLong());
        long oneHash = System.nanoTime() - start;
        for (int i = 0; i < REMEMBERED_CHECKS; i++) {
            recentCheckNanos.set(i, oneHash);
        }
    }

    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return BcryptUtil.bcryptHash(prehash(password), cost, salt);
    }

    boolean matches(String password, String hash) {
        long start = System.nanoTime();
        boolean matches = BcryptUtil.matches(prehash(password), hash);
        recentCheckNanos.set(Math.floorMod(nextCheck.getAndIncrement(), REMEMBERED_CHECKS), System.nanoTime() - start);
        return matches;
    }

    /** Takes the time of one check, for a username with no account, without bcrypt's work. */
    void matchesNothing(String password) {
        prehash(password);
        long nanos = recentCheckNanos.get(ThreadLocalRandom.current().nextInt(REMEMBERED_CHECKS));
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
