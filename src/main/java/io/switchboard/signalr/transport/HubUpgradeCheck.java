package io.switchboard.signalr.transport;

import io.netty.channel.Channel;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubPrincipal;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.Refusal;
import io.switchboard.signalr.server.UserIdProvider;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Decides a WebSocket upgrade on a hub path before it happens, so refusals are HTTP statuses as the
 * clients expect: {@code 404} for an unknown or already used {@code id}. The request was already
 * admitted by {@link HubAccess}, which can answer with a problem body (an upgrade check cannot); the
 * {@code 401} here only backs it up. An accepted upgrade carries the connection id and
 * user to the endpoint.
 *
 * <p>A used {@code id} is accepted once more when it names an open stateful connection of the same
 * user: the client is reconnecting after its transport dropped (stateful reconnect).
 *
 * <p>While the server shuts down every upgrade is refused with {@code 503}, so clients reconnect to
 * another replica.
 */
@ApplicationScoped
public class HubUpgradeCheck implements HttpUpgradeCheck {

    /**
     * What the endpoint needs to open the connection.
     *
     * @param statefulReconnect negotiate granted stateful reconnect for this connection
     * @param reattach          the socket continues an existing stateful connection
     * @param upgraded          to run once the socket is open: finishes the upgrade's HTTP request
     * @param channel           the connection's Netty channel: frames are written to it and checked in
     *                          its pipeline ({@link WebSocketFrameGuards}); null when it cannot be reached
     */
    record AcceptedUpgrade(String connectionId, HubPrincipal user, boolean statefulReconnect, boolean reattach,
                           Runnable upgraded, Channel channel) {
    }

    static final UserData.TypedKey<AcceptedUpgrade> ACCEPTED = new UserData.TypedKey<>("signalr.upgrade");

    private final HubRegistry hubs;
    private final NegotiatedConnections connections;
    private final UserIdProvider users;
    private final DirectConnectionIds directConnectionIds;

    HubUpgradeCheck(HubRegistry hubs, NegotiatedConnections connections, UserIdProvider users,
                    DirectConnectionIds directConnectionIds) {
        this.hubs = hubs;
        this.connections = connections;
        this.users = users;
        this.directConnectionIds = directConnectionIds;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String path = context.httpRequest().path();
        Optional<HubConnectionHandler> handler = hubs.handlerForPath(path);
        if (handler.isEmpty()) {
            return CheckResult.permitUpgrade();
        }
        if (!hubs.acceptsConnections()) {
            return Uni.createFrom().item(RefusalResponses.rejectUpgrade(NegotiateResource.shuttingDown()));
        }
        String token = context.httpRequest().getParam("id");
        return context.securityIdentity().map(identity -> decide(context, handler.get(), identity, path, token));
    }

    private CheckResult decide(HttpUpgradeContext context, HubConnectionHandler handler, SecurityIdentity identity,
                               String path, String token) {
        if (identity == null || identity.isAnonymous()) {
            return RefusalResponses.rejectUpgrade(Refusal.unauthenticated("This needs a valid credential."));
        }
        HubPrincipal user = users.principalOf(identity);
        AcceptedUpgrade accepted;
        if (token == null) {
            // skipNegotiation: the client goes straight to the WebSocket, under the id admission took its
            // slot for.
            Optional<String> connectionId = directConnectionIds.take(context.httpRequest());
            if (connectionId.isEmpty()) {
                return RefusalResponses.rejectUpgrade(Refusal.of(500, "The upgrade was not admitted."));
            }
            accepted = accepted(context, connectionId.get(), user, false, false);
        } else {
            Optional<NegotiatedConnections.Negotiated> negotiated = connections.claim(token, path, user.userId());
            boolean reattach = false;
            if (negotiated.isEmpty()) {
                negotiated = connections.reconnecting(token, path)
                        .filter(previous -> handler.canReattach(previous.connectionId(), user.userId()));
                reattach = true;
            }
            if (negotiated.isEmpty() || !negotiated.get().userKey().equals(user.userId())) {
                return CheckResult.rejectUpgradeSync(404);
            }
            accepted = accepted(context, negotiated.get().connectionId(), user, negotiated.get().statefulReconnect(), reattach);
        }
        context.userData().put(ACCEPTED, accepted);
        return CheckResult.permitUpgradeSync();
    }

    private static AcceptedUpgrade accepted(HttpUpgradeContext context, String connectionId, HubPrincipal user,
                                            boolean statefulReconnect, boolean reattach) {
        HttpServerRequest request = context.httpRequest();
        return new AcceptedUpgrade(connectionId, user, statefulReconnect, reattach, UpgradedRequests.finisher(request),
                request.connection() instanceof ConnectionBase connection ? connection.channel() : null);
    }
}
