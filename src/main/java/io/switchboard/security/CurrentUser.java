package io.switchboard.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.signalr.server.HubUser;
import io.switchboard.signalr.transport.HubUserResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotAuthorizedException;

/**
 * The user behind a security identity, whatever credential it came from. Each identity provider or
 * augmentor stores a {@link HubUser} as an identity attribute; this reads it back.
 */
@ApplicationScoped
public class CurrentUser implements HubUserResolver {

    static final String ATTRIBUTE = "switchboard.user";

    @Override
    public HubUser resolve(SecurityIdentity identity) {
        HubUser user = identity.getAttribute(ATTRIBUTE);
        if (user == null) {
            throw new NotAuthorizedException("Bearer");
        }
        return user;
    }
}
