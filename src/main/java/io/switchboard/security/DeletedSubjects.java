package io.switchboard.security;

import java.util.Optional;

/**
 * Whether a token's subject is an account that was deleted, so its tokens are refused although they
 * verify (implemented by the account package, which keeps the accounts).
 */
public interface DeletedSubjects {

    /** The answer without blocking when it is known; empty means {@link #lookUp} must ask. */
    Optional<Boolean> known(String subject);

    /** Asks the store and remembers the answer. Blocking: never on the event loop. */
    boolean lookUp(String subject);
}
