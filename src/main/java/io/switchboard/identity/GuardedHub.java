package io.switchboard.identity;

import io.switchboard.signalr.server.Hub;

/** A hub only callers with a role may use: negotiate and every transport refuse the others with 403. */
public interface GuardedHub extends Hub {

    /** The role every caller must have ({@link Roles}). */
    String requiredRole();
}
