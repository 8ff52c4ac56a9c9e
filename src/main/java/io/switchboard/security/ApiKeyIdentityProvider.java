package io.switchboard.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.switchboard.apikey.ApiKeyService;
import io.switchboard.apikey.RecentlyValidKeys;
import io.switchboard.identity.CurrentUser;
import io.switchboard.identity.HubUser;
import io.switchboard.identity.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an API key against the database and makes its caller an agent of the key's tenant. The
 * principal name and user id are the key id, so everything an agent does (and every connection it
 * opens) can be traced to, and closed with, its key.
 */
@ApplicationScoped
class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    static final String INVALID_KEY = "The API key is not valid: it is unknown, revoked or expired. Ask an admin "
            + "of your tenant for a new one.";

    /** Bounds the memory: past it, the identities are dropped and built again. */
    static final int MAX_IDENTITIES = 10_000;

    private final ApiKeyService keys;
    private final RecentlyValidKeys recentlyValid;
    /*
     * One identity per key, shared by all its connections and requests: an agent may hold thousands
     * of connections, each of which keeps its identity for its life. Identities are immutable and say
     * nothing about whether the key is still valid (that is asked on every authentication).
     */
    private final CappedCache<ApiKeyService.ValidKey, SecurityIdentity> identities = new CappedCache<>(MAX_IDENTITIES);

    ApiKeyIdentityProvider(ApiKeyService keys, RecentlyValidKeys recentlyValid) {
        this.keys = keys;
        this.recentlyValid = recentlyValid;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        // A key found valid a moment ago needs neither the database nor a worker thread.
        Optional<ApiKeyService.ValidKey> known = recentlyValid.known(request.key());
        if (known.isPresent()) {
            return Uni.createFrom().item(identity(known.get()));
        }
        // The look-up is JDBC: it must not run on the event loop.
        return context.runBlocking(() -> keys.authenticate(request.key())
                .map(this::identity)
                // One answer for unknown, revoked and expired keys: the caller learns nothing about which
                // (ApiKeyService logs the difference at DEBUG).
                .orElseThrow(() -> CredentialRefused.because(INVALID_KEY)));
    }

    SecurityIdentity identity(ApiKeyService.ValidKey key) {
        return identities.remembered(key, ApiKeyIdentityProvider::build);
    }

    private static SecurityIdentity build(ApiKeyService.ValidKey key) {
        HubUser user = new HubUser(key.id(), key.name(), key.tenantId(), Set.of(Roles.AGENT), key.expiresAt());
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(key.id()))
                .addRole(Roles.AGENT)
                .addAttribute(CurrentUser.ATTRIBUTE, user)
                .build();
    }
}
