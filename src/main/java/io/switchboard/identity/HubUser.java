package io.switchboard.identity;

import io.switchboard.signalr.server.HubCallerContext;
import io.switchboard.signalr.server.HubPrincipal;
import java.time.Instant;
import java.util.Set;

/**
 * Who is calling, whatever the credential: a person (JWT) or an agent (API key). The engine knows it
 * only as the {@link HubPrincipal}'s opaque attributes; REST resources and hub methods read it here.
 *
 * @param id          the user id ({@code sub} of a JWT, the key id of an API key)
 * @param displayName a name to show to other users
 * @param tenantId    the tenant the user belongs to; nothing crosses tenants
 * @param roles       the roles granted (for example {@code user}, {@code approver}, {@code admin}, {@code agent})
 * @param expiresAt   when the credential stops being valid (a JWT's {@code exp}, an API key's expiry);
 *                    the server closes the user's connections then. Null: never.
 */
public record HubUser(String id, String displayName, String tenantId, Set<String> roles, Instant expiresAt) {

    public HubUser {
        roles = Set.copyOf(roles);
    }

    /** A user whose credential does not expire. */
    public HubUser(String id, String displayName, String tenantId, Set<String> roles) {
        this(id, displayName, tenantId, roles, null);
    }

    /** Whether the credential has expired at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The user on the other end of a hub connection. */
    public static HubUser of(HubCallerContext caller) {
        return caller.user().attributes(HubUser.class);
    }

    /** This user as the engine knows it: the user key as its user id, this as its attributes. */
    public HubPrincipal principal() {
        return new HubPrincipal(userKey(), expiresAt, this);
    }

    /**
     * The key used to send to "all connections of a user". User ids are only unique within a tenant,
     * so the key includes the tenant (the engine's user id, see {@link CurrentUser}).
     */
    public String userKey() {
        return userKey(tenantId, id);
    }

    /** The length prefix keeps every tenant/id pair distinct, whatever characters either contains. */
    public static String userKey(String tenantId, String id) {
        return tenantId.length() + ":" + tenantId + "/" + id;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
