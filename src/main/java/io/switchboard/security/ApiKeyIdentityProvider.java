package io.switchboard.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.switchboard.apikey.ApiKeyService;
import io.switchboard.signalr.server.HubUser;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Checks an API key against the database and makes its caller an agent of the key's tenant. The
 * principal name and user id are the key id, so everything an agent does (and every connection it
 * opens) can be traced to, and closed with, its key.
 */
@ApplicationScoped
class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyAuthenticationRequest> {

    private final ApiKeyService keys;

    ApiKeyIdentityProvider(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyAuthenticationRequest> getRequestType() {
        return ApiKeyAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
        // The look-up is JDBC: it must not run on the event loop.
        return context.runBlocking(() -> keys.authenticate(request.key())
                .map(ApiKeyIdentityProvider::identity)
                // One answer for unknown, revoked and expired keys: the caller learns nothing about which.
                .orElseThrow(() -> new AuthenticationFailedException("The API key is unknown, revoked or expired")));
    }

    private static SecurityIdentity identity(ApiKeyService.ValidKey key) {
        HubUser user = new HubUser(key.id(), key.name(), key.tenantId(), Set.of(Roles.AGENT), key.expiresAt());
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(key.id()))
                .addRole(Roles.AGENT)
                .addAttribute(CurrentUser.ATTRIBUTE, user)
                .build();
    }
}
