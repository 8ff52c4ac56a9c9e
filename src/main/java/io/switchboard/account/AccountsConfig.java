package io.switchboard.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.OptionalInt;

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

    /**
     * Password checks (bcrypt) in progress on this replica at once. A sign-in that finds them all busy
     * is refused at once with 429 and Retry-After, never queued: the checks are CPU work that would
     * otherwise slow every other request. Unset: half the processors, at least 1.
     */
    OptionalInt concurrentPasswordChecks();

    /**
     * Failed sign-ins from one client address (an IPv6 address by its /64) within 5 minutes of the
     * first, after which every sign-in from it is refused with 429 until those 5 minutes are over.
     */
    @WithDefault("30")
    int signInFailuresPerAddress();
}
