package io.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.switchboard.testing.TestTokens;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/**
 * The cache of verified tokens takes only the very token that verified, and never past its expiry:
 * smallrye-jwt (the real verifier, with the test-only key) decides again then.
 */
class CachingJwtParserTest {

    private final CachingJwtParser parser = new CachingJwtParser(new DefaultJWTParser(verifyingContext()));

    @Test
    void aTokenThatVerifiedIsNotVerifiedAgain() throws ParseException {
        String token = TestTokens.user("alice", "tenant-a");
        JsonWebToken first = parser.parse(token);
        assertSame(first, parser.parse(token));
        assertEquals("alice", first.getSubject());
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() throws Exception {
        String token = TestTokens.expiringIn("bob", "tenant-b", 2);
        parser.parse(token);
        Thread.sleep(3100);
        assertThrows(ParseException.class, () -> parser.parse(token));
    }

    @Test
    void aTokenChangedAfterVerifyingIsVerifiedAndRefused() throws ParseException {
        String token = TestTokens.user("carol", "tenant-c");
        parser.parse(token);
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + TestTokens.user("mallory", "tenant-c").split("\\.")[1] + "." + parts[2];
        assertThrows(ParseException.class, () -> parser.parse(forged));
        assertThrows(ParseException.class, () -> parser.parse(forged), "a failure is not remembered as a success");
    }

    private static JWTAuthContextInfo verifyingContext() {
        JWTAuthContextInfo context = new JWTAuthContextInfo("keys/test-only-jwt-public.pem", TestTokens.ISSUER);
        context.setClockSkew(0);
        return context;
    }
}
