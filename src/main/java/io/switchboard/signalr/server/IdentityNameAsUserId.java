package io.switchboard.signalr.server;

import io.quarkus.arc.DefaultBean;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Singleton;

/** The engine's {@link UserIdProvider} when the application has none: the identity's name is the user id. */
@DefaultBean
@Singleton
class IdentityNameAsUserId implements UserIdProvider {

    @Override
    public HubPrincipal principalOf(SecurityIdentity identity) {
        return new HubPrincipal(identity.getPrincipal().getName(), null, null);
    }
}
