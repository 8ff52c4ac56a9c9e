package io.switchboard.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Set;

/**
 * JWTs for tests, signed with the test-only key under src/test/resources/keys (the key the test
 * profile trusts), plus deliberately broken ones.
 */
public final class TestTokens {

    public static final String ISSUER = "https://switchboard.test";
    private static final String PRIVATE_KEY = "keys/test-only-jwt-private.pem";

    private TestTokens() {
    }

    /** A valid token for a plain user. */
    public static String user(String userId, String tenantId) {
        return token(userId, tenantId, Set.of());
    }

    public static String token(String userId, String tenantId, Set<String> roles) {
        return token(userId, tenantId, roles, java.time.Duration.ofHours(1));
    }

    /** A valid token for a test that runs longer than the hour the others last. */
    public static String token(String userId, String tenantId, Set<String> roles, java.time.Duration lifetime) {
        return UsedCredentials.remember(claims(userId, tenantId, roles).expiresIn(lifetime.toSeconds()).sign(PRIVATE_KEY));
    }

    public static String expired(String userId, String tenantId) {
        return UsedCredentials.remember(claims(userId, tenantId, Set.of())
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600))
                .sign(PRIVATE_KEY));
    }

    /** A plain user's token that expires {@code seconds} from now. */
    public static String expiringIn(String userId, String tenantId, long seconds) {
        return UsedCredentials.remember(claims(userId, tenantId, Set.of()).expiresAt(Instant.now().plusSeconds(seconds)).sign(PRIVATE_KEY));
    }

    /** Valid in every other way, but issued (claim {@code iat}) an hour from now. */
    public static String issuedInTheFuture(String userId, String tenantId) {
        return UsedCredentials.remember(claims(userId, tenantId, Set.of()).issuedAt(Instant.now().plusSeconds(3600))
                .expiresAt(Instant.now().plusSeconds(7200)).sign(PRIVATE_KEY));
    }

    /** Issued an hour from now and expiring before that: jose4j refuses it for exp before iat. */
    public static String issuedInTheFutureAfterItsExpiry(String userId, String tenantId) {
        return UsedCredentials.remember(claims(userId, tenantId, Set.of()).issuedAt(Instant.now().plusSeconds(3600))
                .expiresAt(Instant.now().plusSeconds(1800)).sign(PRIVATE_KEY));
    }

    /** Valid but for its issuer ({@code iss}), which is not the one the server expects. */
    public static String issuedBy(String issuer, String userId, String tenantId) {
        return UsedCredentials.remember(claims(userId, tenantId, Set.of()).issuer(issuer).expiresIn(3600).sign(PRIVATE_KEY));
    }

    /** Well formed, but signed by a key the server does not trust. */
    public static String signedByStranger(String userId, String tenantId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair stranger = generator.generateKeyPair();
            return UsedCredentials.remember(claims(userId, tenantId, Set.of()).expiresIn(3600).sign(stranger.getPrivate()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JwtClaimsBuilder claims(String userId, String tenantId, Set<String> roles) {
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER).subject(userId)
                .claim("preferred_username", "User " + userId)
                .groups(roles);
        if (tenantId != null) {
            claims.claim("tenant_id", tenantId);
        }
        return claims;
    }
}
