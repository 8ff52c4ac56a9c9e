package io.switchboard.account;

import io.switchboard.security.TokenResponse;
import io.switchboard.security.TokenSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A sign-in with username and password (docs/api.md §2 "Identity"): throttled per client address and per username,
 * then the password check if a slot is free ({@link PasswordCheckSlots}), then a token signed for the account.
 * Blocking (PostgreSQL, bcrypt): call it off the event loop.
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

    /** Too many failures for this username, or from this client address, lately; the attempt was not even checked. */
    record Throttled(long retryAfterSeconds, boolean byAddress) implements Outcome {
    }

    /** Every password-check slot is busy: refused at once, unchecked and uncounted. */
    record Busy() implements Outcome {
    }

    private final LoginThrottle throttle;
    private final PasswordCheckSlots slots;
    private final AccountService accounts;
    private final TokenSigner signer;
    private final AccountsConfig config;

    SignIn(LoginThrottle throttle, PasswordCheckSlots slots, AccountService accounts, TokenSigner signer,
           AccountsConfig config) {
        this.throttle = throttle;
        this.slots = slots;
        this.accounts = accounts;
        this.signer = signer;
        this.config = config;
    }

    Outcome attempt(String username, String password, ClientAddress from) {
        OptionalLong fromAddress = throttle.retryAfterSecondsFrom(from);
        if (fromAddress.isPresent()) {
            return new Throttled(fromAddress.getAsLong(), true);
        }
        OptionalLong forUsername = throttle.retryAfterSeconds(username);
        if (forUsername.isPresent()) {
            return new Throttled(forUsername.getAsLong(), false);
        }
        if (!slots.tryEnter()) {
            return new Busy();
        }
        Optional<AccountService.SignedIn> account;
        try {
            account = accounts.checkPassword(username, password);
        } finally {
            slots.exit();
        }
        if (account.isEmpty()) {
            throttle.recordFailure(username, from);
            return new Refused();
        }
        AccountService.SignedIn signedIn = account.get();
        return new Token(signer.sign(signedIn.id(), signedIn.displayName(), signedIn.tenantId(), signedIn.roles(),
                config.tokenLifespan()));
    }
}
