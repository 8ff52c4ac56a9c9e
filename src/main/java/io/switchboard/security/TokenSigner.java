package io.switchboard.security;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs the service's own JWTs (RS256 with {@code smallrye.jwt.sign.key.location}, the same on every
 * replica) carrying exactly the claims {@link JwtUserAugmentor} reads from any issuer's token, with
 * {@code iss} = {@code mp.jwt.verify.issuer} and {@code aud} = {@code mp.jwt.verify.audiences} when set:
 * they pass the same verification as an outside identity provider's tokens.
 */
@ApplicationScoped
public class TokenSigner {

    private final Optional<String> verifyIssuer;
    private final Optional<List<String>> audiences;

    TokenSigner(@ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> verifyIssuer,
                @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<List<String>> audiences) {
        this.verifyIssuer = verifyIssuer;
        this.audiences = audiences;
    }

    /** A signed token for this user, valid for {@code lifespan}, issued by {@code mp.jwt.verify.issuer}. */
    public TokenResponse sign(String subject, String displayName, String tenantId, Set<String> roles, Duration lifespan) {
        return sign(subject, displayName, tenantId, roles, lifespan, Optional.empty());
    }

    /** As {@link #sign(String, String, String, Set, Duration)}, with an {@code iss} of its own when given. */
    public TokenResponse sign(String subject, String displayName, String tenantId, Set<String> roles, Duration lifespan,
                              Optional<String> issuer) {
        JwtClaimsBuilder claims = Jwt.subject(subject)
                .claim(JwtUserAugmentor.TENANT_CLAIM, tenantId)
                .claim("preferred_username", displayName)
                .groups(new HashSet<>(roles))
                .expiresIn(lifespan);
        issuer.or(() -> verifyIssuer).ifPresent(claims::issuer);
        audiences.ifPresent(list -> claims.audience(new HashSet<>(list)));
        return new TokenResponse(claims.sign(), "Bearer", lifespan.toSeconds());
    }
}
