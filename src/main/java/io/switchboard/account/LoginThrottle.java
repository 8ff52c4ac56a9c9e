package io.switchboard.account;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.OptionalLong;

/**
 * Failed sign-ins (docs/api.md §2 "Identity"), counted twice: per username and per client address.
 * After {@value #MAX_FAILURES_PER_USERNAME} failures for a username within {@value #WINDOW_SECONDS} s of
 * the first, or {@link AccountsConfig#signInFailuresPerAddress()} from one address, every attempt for
 * that username or from that address, right password or not, is refused until that window is over.
 * Counted in PostgreSQL, so every replica sees the same counts, with or without Redis, and timed by
 * the database's clock, so replicas with skewed clocks agree.
 *
 * <p>Unknown usernames are counted exactly like known ones: the answers never tell them apart. A
 * success does not reset a count; only the window's end does.
 */
@ApplicationScoped
class LoginThrottle {

    static final int MAX_FAILURES_PER_USERNAME = 5;
    static final int WINDOW_SECONDS = 300;
    /** Longer names can never sign in; they are counted by their first characters. */
    private static final int MAX_KEY_LENGTH = 256;

    /** What a count is kept by: its table and key column (constants, never input). */
    enum Counted {
        USERNAME("login_failure", "username"),
        ADDRESS("login_failure_by_address", "address");

        private final String table;
        private final String key;

        Counted(String table, String key) {
            this.table = table;
            this.key = key;
        }
    }

    private final EntityManager entityManager;
    private final int maxFailuresPerAddress;

    LoginThrottle(EntityManager entityManager, AccountsConfig config) {
        this.entityManager = entityManager;
        this.maxFailuresPerAddress = config.signInFailuresPerAddress();
    }

    /** Whole seconds until this username may try again, or empty when it may try now. */
    @Transactional
    OptionalLong retryAfterSeconds(String username) {
        return retryAfterSeconds(Counted.USERNAME, usernameKey(username), MAX_FAILURES_PER_USERNAME);
    }

    /** Whole seconds until sign-ins from this client address may try again, or empty when they may now. */
    @Transactional
    OptionalLong retryAfterSecondsFrom(ClientAddress address) {
        return retryAfterSeconds(Counted.ADDRESS, address.key(), maxFailuresPerAddress);
    }

    /** Counts a failure for the username and for the address; the first after a window has ended starts a new one. */
    @Transactional
    void recordFailure(String username, ClientAddress address) {
        recordFailure(Counted.USERNAME, usernameKey(username));
        recordFailure(Counted.ADDRESS, address.key());
    }

    /** Drops the counts of ended windows, so guessed usernames leave nothing behind. Any replica may. */
    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void forgetEndedWindows() {
        for (Counted counted : Counted.values()) {
            entityManager.createNativeQuery("DELETE FROM " + counted.table
                            + " WHERE window_start + make_interval(secs => :window) <= clock_timestamp()")
                    .setParameter("window", WINDOW_SECONDS)
                    .executeUpdate();
        }
    }

    private OptionalLong retryAfterSeconds(Counted counted, String key, int maxFailures) {
        List<?> rows = entityManager.createNativeQuery(
                        "SELECT CEIL(EXTRACT(EPOCH FROM (window_start + make_interval(secs => :window) - clock_timestamp())))"
                                + " FROM " + counted.table
                                + " WHERE " + counted.key + " = :key AND failures >= :max"
                                + " AND window_start + make_interval(secs => :window) > clock_timestamp()")
                .setParameter("key", key)
                .setParameter("window", WINDOW_SECONDS)
                .setParameter("max", maxFailures)
                .getResultList();
        if (rows.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, ((Number) rows.get(0)).longValue()));
    }

    private void recordFailure(Counted counted, String key) {
        String table = counted.table;
        entityManager.createNativeQuery("INSERT INTO " + table + " (" + counted.key + ", window_start, failures)"
                        + " VALUES (:key, clock_timestamp(), 1)"
                        + " ON CONFLICT (" + counted.key + ") DO UPDATE SET"
                        + " window_start = CASE WHEN " + table + ".window_start + make_interval(secs => :window) <= clock_timestamp()"
                        + " THEN clock_timestamp() ELSE " + table + ".window_start END,"
                        + " failures = CASE WHEN " + table + ".window_start + make_interval(secs => :window) <= clock_timestamp()"
                        + " THEN 1 ELSE " + table + ".failures + 1 END")
                .setParameter("key", key)
                .setParameter("window", WINDOW_SECONDS)
                .executeUpdate();
    }

    private static String usernameKey(String username) {
        String key = Usernames.key(username);
        return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    }
}
