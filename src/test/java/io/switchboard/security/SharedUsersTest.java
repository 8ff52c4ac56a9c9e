package io.switchboard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.mutiny.Uni;
import io.switchboard.apikey.ApiKeyService;
import io.switchboard.apikey.CreatedApiKey;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.HubUser;
import io.switchboard.identity.Roles;
import io.switchboard.testing.TestTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/**
 * A credential seen again is not turned into a user again: every request and connection of one token
 * or one API key shares its user (an agent's thousands of connections keep one, not one each), while
 * every check that can change its answer (the key still valid, the account not deleted, the token not
 * issued in the future) still runs each time.
 */
@QuarkusTest
class SharedUsersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AuthenticationRequestContext ON_THIS_THREAD = work -> Uni.createFrom().item(work);

    @Inject
    JWTParser parser;

    @Inject
    JwtUserAugmentor augmentor;

    @Inject
    ApiKeyIdentityProvider keyProvider;

    @Inject
    ApiKeyService keys;

    @Test
    void requestsWithTheSameTokenShareItsUser() throws Exception {
        String token = TestTokens.token("shared-alice", "tenant-shared", Set.of("approver"));
        HubUser first = userOf(augment(token));
        HubUser second = userOf(augment(token));

        assertSame(first, second);
        assertEquals("shared-alice", first.id());
        assertEquals("tenant-shared", first.tenantId());
        assertEquals(Set.of("approver", Roles.USER), first.roles());
    }

    @Test
    void anotherTokenOfTheSameUserIsReadAfresh() throws Exception {
        HubUser first = userOf(augment(TestTokens.token("shared-bob", "tenant-shared", Set.of("approver"))));
        HubUser second = userOf(augment(TestTokens.token("shared-bob", "tenant-shared", Set.of("admin"))));

        assertNotSame(first, second);
        assertEquals(Set.of("admin", Roles.USER), second.roles());
    }

    @Test
    void aTokenWithoutTenantIsRefusedEveryTime() throws Exception {
        String token = TestTokens.token("shared-carol", "", Set.of());
        for (int i = 0; i < 2; i++) {
            AuthenticationFailedException refused = assertThrows(AuthenticationFailedException.class, () -> augment(token));
            assertEquals(CredentialRefused.class, refused.getCause().getClass());
        }
    }

    @Test
    void connectionsOfOneApiKeyShareItsIdentity() {
        CreatedApiKey created = keys.create("tenant-shared", "shared-admin", "agent-" + UUID.randomUUID(), null);
        SecurityIdentity first = authenticate(created.key()); // looked up in the database
        SecurityIdentity second = authenticate(created.key()); // remembered as valid a moment ago

        assertSame(first, second);
        HubUser agent = first.getAttribute(CurrentUser.ATTRIBUTE);
        assertEquals(created.id(), agent.id());
        assertEquals(Set.of(Roles.AGENT), agent.roles());
    }

    private SecurityIdentity augment(String token) throws Exception {
        JsonWebToken jwt = parser.parse(token);
        SecurityIdentity verified = QuarkusSecurityIdentity.builder().setPrincipal(jwt).addRoles(jwt.getGroups()).build();
        return augmentor.augment(verified, ON_THIS_THREAD).await().atMost(WAIT);
    }

    private SecurityIdentity authenticate(String key) {
        return keyProvider.authenticate(new ApiKeyAuthenticationRequest(key), ON_THIS_THREAD).await().atMost(WAIT);
    }

    private static HubUser userOf(SecurityIdentity identity) {
        return identity.getAttribute(CurrentUser.ATTRIBUTE);
    }
}
