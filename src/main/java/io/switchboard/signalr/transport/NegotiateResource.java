package io.switchboard.signalr.transport;

import io.quarkus.security.identity.SecurityIdentity;
import io.switchboard.api.Problem;
import io.switchboard.api.ProblemMappers;
import io.switchboard.limits.ConnectionCaps;
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
import io.switchboard.api.OpenApi;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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
    private final AccessRefusals refusals;
    private final SecurityIdentity identity;
    private final ConnectionCaps caps;

    NegotiateResource(HubRegistry hubs, NegotiatedConnections connections, HubUserResolver users,
                      AccessRefusals refusals, SecurityIdentity identity, ConnectionCaps caps) {
        this.caps = caps;
        this.hubs = hubs;
        this.connections = connections;
        this.users = users;
        this.refusals = refusals;
        this.identity = identity;
    }

    @POST
    @Path("negotiate")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "SignalR negotiate: a connection id and the transports this hub offers")
    @Tag(name = "SignalR")
    @SecurityRequirement(name = OpenApi.JWT)
    @SecurityRequirement(name = OpenApi.API_KEY)
    @SecurityRequirement(name = OpenApi.ACCESS_TOKEN)
    @APIResponse(responseCode = "200", description = "Connect with connectionToken (version 1) as the id.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = NegotiateResponse.class)))
    @APIResponse(responseCode = "401", ref = OpenApi.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = OpenApi.FORBIDDEN)
    @APIResponse(responseCode = "404", ref = OpenApi.NOT_FOUND, description = "No hub of that name.")
    @APIResponse(responseCode = "429", description = "The credential already holds the most connections allowed.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response negotiate(@Parameter(ref = "hub") @PathParam("hub") String hub,
                              @Parameter(description = "1 (with a connectionToken) or 0.")
                              @QueryParam("negotiateVersion") @DefaultValue("0") int negotiateVersion,
                              @Parameter(description = "Ask for stateful reconnect (granted on WebSockets).")
                              @QueryParam("useStatefulReconnect") @DefaultValue("false") boolean useStatefulReconnect) {
        String path = "/hubs/" + hub + "/negotiate";
        Optional<HubConnectionHandler> handler = hubs.handlerForPath("/hubs/" + hub);
        if (handler.isEmpty()) {
            return ProblemMappers.respond(404, "There is no hub at /hubs/" + hub + ".");
        }
        if (!hubs.acceptsConnections()) {
            return shuttingDown();
        }
        // A credential that was sent but refused fails here, in the identity, and is answered by ProblemMappers.
        if (identity.isAnonymous()) {
            return Response.fromResponse(ProblemMappers.respond(401, refusals.unauthenticated(null, path)))
                    .header("WWW-Authenticate", "Bearer").build();
        }
        HubUser user = users.resolve(identity);
        String role = handler.get().hub().requiredRole();
        if (!user.hasRole(role)) {
            return ProblemMappers.respond(403, refusals.forbiddenOnHub(handler.get().hub().path(), role, path));
        }
        Optional<String> overCap = caps.refusal(user);
        if (overCap.isPresent()) {
            return ProblemMappers.respond(429, overCap.get());
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
