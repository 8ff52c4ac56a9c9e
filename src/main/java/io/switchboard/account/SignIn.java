package io.switchboard.account;

import io.switchboard.security.TokenResponse;
import io.switchboard.security.TokenSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A sign-in with username and password (docs/api.md §2 "Identity"): throttled per username, then the password check,
 * then a token signed for the account. Blocking (PostgreSQL, bcrypt): call it off the event loop.
 */
@ApplicationScoped
class SignIn {

    /** How an attempt ended. */
    sealed interface Outcome {
    }

    /** Signed in: the token to hand over. */
    record Token(TokenResponse token) implements Outcome {
    }

    /** Unknown username or wrong password; the caller cannot tell which. */
    record Refused() implements Outcome {
    }

    /** Too many failures for this username lately; the attempt was not even checked. */
    record Throttled(long retryAfterSeconds) implements Outcome {
    }

    private final LoginThrottle throttle;
    private final AccountService accounts;
    private final TokenSigner signer;
    private final AccountsConfig config;

    SignIn(LoginThrottle throttle, AccountService accounts, TokenSigner signer, AccountsConfig config) {
        this.throttle = throttle;
        this.accounts = accounts;
        this.signer = signer;
        this.config = config;
    }

    Outcome attempt(String username, String password) {
        OptionalLong retryAfter = throttle.retryAfterSeconds(username);
        if (retryAfter.isPresent()) {
            return new Throttled(retryAfter.getAsLong());
        }
        Optional<AccountService.SignedIn> account = accounts.checkPassword(username, password);
        if (account.isEmpty()) {
            throttle.recordFailure(username);
            return new Refused();
        }
        AccountService.SignedIn signedIn = account.get();
        return new Token(signer.sign(signedIn.id(), signedIn.displayName(), signedIn.tenantId(), signedIn.roles(),
                config.tokenLifespan()));
    }
}
