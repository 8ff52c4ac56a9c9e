package io.switchboard.signalr.transport;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.ProblemMappers;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.HubUser;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /hubs/{hub}/negotiate}: the first request of every official client that does not skip
 * negotiation. WebSocket upgrades on the hub path reach the endpoints, plain GET / POST / DELETE the
 * HTTP transports ({@link HttpTransportRoutes}).
 */
@Path("/hubs/{hub}")
public class NegotiateResource {

    static final int LATEST_NEGOTIATE_VERSION = 1;

    // In the order clients try them: the official clients fall back along this list.
    private static final List<NegotiateResponse.AvailableTransport> TRANSPORTS = List.of(
            new NegotiateResponse.AvailableTransport("WebSockets", List.of("Text", "Binary")),
            new NegotiateResponse.AvailableTransport(ServerSentEventsTransport.NAME, List.of("Text")),
            new NegotiateResponse.AvailableTransport(LongPollingTransport.NAME, List.of("Text", "Binary")));

    private final HubRegistry hubs;
    private final NegotiatedConnections connections;
    private final HubUserResolver users;
    private final SecurityIdentity identity;

    NegotiateResource(HubRegistry hubs, NegotiatedConnections connections, HubUserResolver users,
                      SecurityIdentity identity) {
        this.hubs = hubs;
        this.connections = connections;
        this.users = users;
        this.identity = identity;
    }

    @POST
    @Path("negotiate")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "SignalR negotiate: a connection id and the transports this hub offers")
    public Response negotiate(@PathParam("hub") String hub,
                              @QueryParam("negotiateVersion") @DefaultValue("0") int negotiateVersion,
                              @QueryParam("useStatefulReconnect") @DefaultValue("false") boolean useStatefulReconnect) {
        Optional<HubConnectionHandler> handler = hubs.handlerForPath("/hubs/" + hub);
        if (handler.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        if (!hubs.acceptsConnections()) {
            return shuttingDown();
        }
        if (identity.isAnonymous()) {
            return Response.status(Response.Status.UNAUTHORIZED).header("WWW-Authenticate", "Bearer").build();
        }
        HubUser user = users.resolve(identity);
        if (!user.hasRole(handler.get().hub().requiredRole())) {
            return Response.status(Response.Status.FORBIDDEN).build();
        }
        int version = Math.max(0, Math.min(negotiateVersion, LATEST_NEGOTIATE_VERSION));
        NegotiatedConnections.Negotiated negotiated = connections.create(handler.get().hub().path(), user.userKey(),
                version, useStatefulReconnect);
        return Response.ok(new NegotiateResponse(negotiated.connectionId(),
                version >= 1 ? negotiated.connectionToken() : null, version, TRANSPORTS,
                negotiated.statefulReconnect() ? Boolean.TRUE : null)).build();
    }

    /** This replica is stopping: the client's reconnect policy retries, and a load balancer sends it elsewhere. */
    static Response shuttingDown() {
        return Response.fromResponse(ProblemMappers.respond(503,
                        "This server is shutting down; connect again and another one will answer."))
                .header("Retry-After", "1").build();
    }
}
