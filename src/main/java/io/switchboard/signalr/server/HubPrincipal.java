package io.switchboard.signalr.server;

import java.time.Instant;

/**
 * Who is on the other end of a connection, as far as the engine needs to know (centrifuge's
 * {@code Credentials{UserID, ExpireAt, Info}}). Tenants, roles and names are the application's: it
 * keeps them in {@code attributes}, which the engine hands back to hub methods untouched.
 *
 * @param userId     addresses every connection of this user ({@link HubContext#sendToUser}); unique over
 *                   the whole application, so an application with tenants puts the tenant in it
 * @param expiresAt  when the credential stops being valid; the engine closes the connection then. Null: never.
 * @param attributes the application's own view of the user, opaque to the engine (may be null)
 */
public record HubPrincipal(String userId, Instant expiresAt, Object attributes) {

    public HubPrincipal {
        if (userId == null || userId.isEmpty()) {
            throw new IllegalArgumentException("A principal needs a user id");
        }
    }

    /** Whether the credential has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The attributes as the application's type, which it put there. */
    public <T> T attributes(Class<T> type) {
        return type.cast(attributes);
    }
}
