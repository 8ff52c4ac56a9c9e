package io.switchboard.security;

import io.quarkus.security.AuthenticationFailedException;

/**
 * Why a credential that was read is refused: a sentence for the caller saying what to fix, carried as
 * the cause of the {@link AuthenticationFailedException} an identity provider fails with. The sentence
 * never quotes the credential: it ends up in response bodies and DEBUG log lines.
 */
public final class CredentialRefused extends RuntimeException {

    private CredentialRefused(String detail) {
        super(detail, null, false, false);
    }

    /** The authentication failure to fail with. */
    static AuthenticationFailedException because(String detail) {
        return new AuthenticationFailedException(new CredentialRefused(detail));
    }

    /** What the caller should fix, fit for a problem+json {@code detail}. */
    public String detail() {
        return getMessage();
    }
}
