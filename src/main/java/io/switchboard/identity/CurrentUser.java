package io.switchboard.identity;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.signalr.server.HubPrincipal;
import io.switchboard.signalr.server.UserIdProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotAuthorizedException;

/**
 * The user behind a security identity, whatever credential it came from. Each identity provider or
 * augmentor stores a {@link HubUser} as an identity attribute; this reads it back. The hubs see it as
 * a principal whose user id is the tenant-qualified {@link HubUser#userKey()}.
 */
@ApplicationScoped
public class CurrentUser implements UserIdProvider {

    public static final String ATTRIBUTE = "switchboard.user";

    /** The user an authenticated identity stands for. */
    public HubUser resolve(SecurityIdentity identity) {
        HubUser user = identity.getAttribute(ATTRIBUTE);
        if (user == null) {
            throw new NotAuthorizedException("Bearer");
        }
        return user;
    }

    @Override
    public HubPrincipal principalOf(SecurityIdentity identity) {
        return resolve(identity).principal();
    }
}
