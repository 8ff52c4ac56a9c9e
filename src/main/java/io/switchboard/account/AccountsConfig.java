package io.switchboard.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The built-in accounts: sign-in tokens, password hashing, and how deleted accounts are noticed. */
@ConfigMapping(prefix = "switchboard.accounts")
public interface AccountsConfig {

    /** How long a token from {@code POST /api/auth/login} is valid. */
    @WithDefault("1h")
    Duration tokenLifespan();

    /**
     * The bcrypt cost (log2 of the rounds) of new password hashes. Each step doubles the time a
     * sign-in takes, for an attacker with stolen hashes too. Existing hashes keep the cost they were
     * made with.
     */
    @WithDefault("10")
    int bcryptCost();

    /**
     * How long a replica trusts its answer that a token's subject is not a deleted account. A deleted
     * account's tokens are refused on every replica within this time (docs/api.md allows 30 s); on the
     * replica that deleted it, at once.
     */
    @WithDefault("10s")
    Duration deletionCheckInterval();
}
