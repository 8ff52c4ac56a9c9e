package io.switchboard.account;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The username rule (docs/api.md §2 "Identity"): 3..64 characters of {@code a-z 0-9 . _ -}, compared without regard
 * to case, so {@code Alice} and {@code alice} are one username. Capitals are accepted and kept as
 * written; everything that compares or counts usernames uses {@link #key}.
 */
final class Usernames {

    static final String PATTERN = "[A-Za-z0-9._-]{3,64}";
    static final String RULE = "must be 3 to 64 characters of a-z, 0-9, '.', '_' and '-'";
    private static final Pattern VALID = Pattern.compile(PATTERN);

    private Usernames() {
    }

    static boolean isValid(String username) {
        return username != null && VALID.matcher(username).matches();
    }

    /** The form usernames are compared and throttled by. */
    static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
