package io.switchboard.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The built-in token issuer, for setups with no outside identity provider. */
@ConfigMapping(prefix = "switchboard.auth.token-issuer")
public interface TokenIssuerConfig {

    /**
     * Whether {@code POST /api/auth/token} issues tokens. Off by default: anyone who can reach it
     * can sign in as anybody, so enable it only where that is acceptable (development, tests, or
     * behind a gateway that guards it). Signing uses {@code smallrye.jwt.sign.key.location}.
     */
    @WithDefault("false")
    boolean enabled();

    /** How long an issued token is valid. */
    @WithDefault("1h")
    Duration lifespan();

    /** The {@code iss} claim; defaults to {@code mp.jwt.verify.issuer} when that is set. */
    Optional<String> issuer();
}
