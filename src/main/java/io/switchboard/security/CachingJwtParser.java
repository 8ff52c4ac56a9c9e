package io.switchboard.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Typed;
import java.security.PrivateKey;
import java.security.PublicKey;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers tokens that verified, so a person's token is checked (signature, issuer, audience,
 * expiry: smallrye-jwt's work, about a third of the CPU of an approval) once a minute instead of on
 * every request and every hub connection. The cache is keyed by the whole token text, so only the
 * very token that verified is taken; it is used until the token's {@code exp} at the latest, after
 * which smallrye-jwt decides again (and refuses it with its own reason). Failures are never
 * remembered: every refusal reads exactly as before. Everything that follows verification (the
 * tenant and subject checks, deleted accounts) still runs per request, in {@link JwtUserAugmentor}.
 */
@Alternative
@Priority(1)
@ApplicationScoped
@Typed(JWTParser.class)
class CachingJwtParser implements JWTParser {

    /** Bounds how long a verified token is trusted without verifying again (a rotated-out signing key). */
    static final long TRUST_NANOS = 60_000_000_000L;
    /** Bounds the memory: past it, the entries are dropped and tokens verify again. */
    static final int MAX_ENTRIES = 10_000;

    private record Verified(JsonWebToken token, long untilNanos, long expiresAtSecond) {
    }

    private final DefaultJWTParser verifier;
    private final CappedCache<String, Verified> verified = new CappedCache<>(MAX_ENTRIES);

    CachingJwtParser(DefaultJWTParser verifier) {
        this.verifier = verifier;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        Verified known = verified.get(token);
        long now = System.nanoTime();
        if (known != null && now - known.untilNanos() < 0
                && System.currentTimeMillis() / 1000 < known.expiresAtSecond()) {
            return known.token();
        }
        JsonWebToken fresh = verifier.parse(token);
        if (fresh.getExpirationTime() > 0) {
            verified.put(token, new Verified(fresh, now + TRUST_NANOS, fresh.getExpirationTime()));
        }
        return fresh;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
