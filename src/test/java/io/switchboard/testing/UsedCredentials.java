package io.switchboard.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every credential a test run has minted or sent (tokens, API keys, passwords), so a test can check
 * that none of them reached a log line (docs/security.md, "What is logged").
 */
public final class UsedCredentials {

    private static final Set<String> USED = ConcurrentHashMap.newKeySet();

    private UsedCredentials() {
    }

    /** Remembers {@code credential} and returns it, to wrap wherever one is made. */
    public static String remember(String credential) {
        if (credential != null && !credential.isBlank()) {
            USED.add(credential);
        }
        return credential;
    }

    public static Set<String> all() {
        return Set.copyOf(USED);
    }
}
