package io.switchboard.signalr.server;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Turns an authenticated identity into the principal a hub sees, and so decides its user id (the role
 * of ASP.NET Core's {@code IUserIdProvider}). The application implements it as a CDI bean; without
 * one, the identity's name is the user id.
 */
public interface UserIdProvider {

    /** The principal of {@code identity}, which is authenticated; throws when it cannot use a hub. */
    HubPrincipal principalOf(SecurityIdentity identity);
}
