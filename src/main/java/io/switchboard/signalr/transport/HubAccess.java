package io.switchboard.signalr.transport;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.switchboard.api.Problem;
import io.switchboard.limits.ConnectionCaps;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.TransientFailures;
import io.switchboard.signalr.server.HubUser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Who may use a hub, decided the same way for every request on its path: {@code 401} without a valid
 * credential, {@code 403} when the credential lacks the hub's role. Refusals are problem+json whose
 * {@code detail} says what to fix (the reason is logged at DEBUG too), so a client that cannot connect
 * learns why. WebSocket upgrades are decided here before the upgrade, because a refused upgrade check
 * of quarkus-websockets-next can only answer a bare status.
 */
@Singleton
class HubAccess {

    private final HubUserResolver users;
    private final AccessRefusals refusals;
    private final ConnectionCaps caps;
    private final HubRegistry hubs;

    HubAccess(HubUserResolver users, AccessRefusals refusals, ConnectionCaps caps, HubRegistry hubs) {
        this.caps = caps;
        this.hubs = hubs;
        this.users = users;
        this.refusals = refusals;
    }

    /**
     * An upgrade on a hub path: refused with a problem body, or passed on to the hub's {@code @WebSocket}
     * endpoint (its upgrade check then claims the connection id).
     */
    void upgrade(RoutingContext context, HubConnectionHandler handler) {
        Context eventLoop = Vertx.currentContext();
        QuarkusHttpUser.getSecurityIdentity(context, null).subscribe().with(
                identity -> admit(context, handler, identity).filter(user -> withinCap(context, user))
                        .ifPresent(user -> onEventLoop(eventLoop, () -> {
                            forgetHowTheIdentityWasFound(context, identity);
                            context.next();
                        })),
                failure -> unauthenticated(context, failure));
    }

    /**
     * websockets-next keeps the upgrade's routing context for the life of the socket, and with it the
     * memoized pipeline that authenticated the request (its captured context states: about 1 KiB per
     * connection). The identity it produced is all anything asks for later.
     */
    private static void forgetHowTheIdentityWasFound(RoutingContext context, SecurityIdentity identity) {
        context.put(QuarkusHttpUser.DEFERRED_IDENTITY_KEY, Uni.createFrom().item(identity));
    }

    /**
     * A WebSocket opened without negotiating starts a connection here (a negotiated one was counted at
     * negotiate): past the credential's cap it is refused with {@code 429}.
     */
    private boolean withinCap(RoutingContext context, HubUser user) {
        if (context.request().getParam("id") != null) {
            return true;
        }
        Optional<String> refusal = caps.refusal(user);
        refusal.ifPresent(detail -> write(context.response(), 429, detail));
        return refusal.isEmpty();
    }

    /** The caller as the hub's user, or empty once a refusal has been answered. */
    Optional<HubUser> admit(RoutingContext context, HubConnectionHandler handler, SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            unauthenticated(context, null);
            return Optional.empty();
        }
        HubUser user;
        try {
            user = users.resolve(identity);
        } catch (RuntimeException notAHubUser) {
            unauthenticated(context, notAHubUser);
            return Optional.empty();
        }
        String role = handler.hub().requiredRole();
        if (!user.hasRole(role)) {
            write(context.response(), 403, refusals.forbiddenOnHub(handler.hub().path(), role, context.request().path()));
            return Optional.empty();
        }
        return Optional.of(user);
    }

    /**
     * Answers {@code 401}: {@code failure} refused the credential, or none was sent (null); or
     * {@code 503} with {@code Retry-After} when the credential could not be checked for the moment
     * (the database is away).
     */
    void unauthenticated(RoutingContext context, Throwable failure) {
        HttpServerResponse response = context.response();
        if (failure != null && hubs.isTransient(failure)) {
            if (!response.ended() && !response.closed()) {
                response.putHeader("Retry-After", "5");
            }
            write(response, 503, TransientFailures.MESSAGE);
            return;
        }
        if (!response.ended() && !response.closed()) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        write(response, 401, refusals.unauthenticated(failure, context.request().path()));
    }

    private static void write(HttpServerResponse response, int status, String detail) {
        Problem.of(status, detail).writeTo(response);
    }

    // Identities may be resolved on a worker thread (API keys are looked up with JDBC); routing goes on
    // on the request's event loop.
    private static void onEventLoop(Context eventLoop, Runnable action) {
        if (eventLoop == null || Vertx.currentContext() == eventLoop) {
            action.run();
        } else {
            eventLoop.runOnContext(ignored -> action.run());
        }
    }
}
