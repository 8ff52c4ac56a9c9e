package io.switchboard.signalr.transport;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.signalr.server.HubUser;

/** Turns an authenticated Quarkus identity into the user a hub sees (implemented by the security package). */
public interface HubUserResolver {

    HubUser resolve(SecurityIdentity identity);
}
