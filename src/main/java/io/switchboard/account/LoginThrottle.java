package io.switchboard.account;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.OptionalLong;

/**
 * Failed sign-ins per username (docs/api.md §2 "Identity"): after {@value #MAX_FAILURES} failures within
 * {@value #WINDOW_SECONDS} s of the first, every attempt for that username, right password or not, is
 * refused until that window is over. Counted in PostgreSQL, so every replica sees the same count,
 * with or without Redis, and timed by the database's clock, so replicas with skewed clocks agree.
 *
 * <p>Unknown usernames are counted exactly like known ones: the answers never tell them apart. A
 * success does not reset the count; only the window's end does.
 */
@ApplicationScoped
class LoginThrottle {

    static final int MAX_FAILURES = 5;
    static final int WINDOW_SECONDS = 300;
    /** Longer names can never sign in; they are counted by their first characters. */
    private static final int MAX_KEY_LENGTH = 256;

    private final EntityManager entityManager;

    LoginThrottle(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Whole seconds until the username may try again, or empty when it may try now. */
    @Transactional
    OptionalLong retryAfterSeconds(String username) {
        List<?> rows = entityManager.createNativeQuery("""
                        SELECT CEIL(EXTRACT(EPOCH FROM (window_start + make_interval(secs => :window) - clock_timestamp())))
                        FROM login_failure
                        WHERE username = :username AND failures >= :max
                          AND window_start + make_interval(secs => :window) > clock_timestamp()""")
                .setParameter("username", key(username))
                .setParameter("window", WINDOW_SECONDS)
                .setParameter("max", MAX_FAILURES)
                .getResultList();
        if (rows.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, ((Number) rows.get(0)).longValue()));
    }

    /** Counts a failure; the first one after a window has ended starts a new window. */
    @Transactional
    void recordFailure(String username) {
        entityManager.createNativeQuery("""
                        INSERT INTO login_failure (username, window_start, failures)
                        VALUES (:username, clock_timestamp(), 1)
                        ON CONFLICT (username) DO UPDATE SET
                          window_start = CASE WHEN login_failure.window_start + make_interval(secs => :window) <= clock_timestamp()
                                              THEN clock_timestamp() ELSE login_failure.window_start END,
                          failures = CASE WHEN login_failure.window_start + make_interval(secs => :window) <= clock_timestamp()
                                          THEN 1 ELSE login_failure.failures + 1 END""")
                .setParameter("username", key(username))
                .setParameter("window", WINDOW_SECONDS)
                .executeUpdate();
    }

    /** Drops the counts of ended windows, so guessed usernames leave nothing behind. Any replica may. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void forgetEndedWindows() {
        entityManager.createNativeQuery("""
                        DELETE FROM login_failure WHERE window_start + make_interval(secs => :window) <= clock_timestamp()""")
                .setParameter("window", WINDOW_SECONDS)
                .executeUpdate();
    }

    private static String key(String username) {
        String key = Usernames.key(username);
        return key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    }
}
