package io.switchboard.signalr.transport;

import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.switchboard.signalr.server.AdmissionRequest.Purpose;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.Refusal;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /hubs/{hub}/negotiate}: the first request of every official client that does not skip
 * negotiation. Admitted as every other request on a hub path ({@link HubAccess}). WebSocket upgrades
 * on the hub path reach the endpoints, plain GET / POST / DELETE the HTTP transports
 * ({@link HttpTransportRoutes}). The application documents it in its OpenAPI document, which knows
 * its credentials.
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
    private final HubAccess access;
    private final RefusalResponses refusals;

    NegotiateResource(HubRegistry hubs, NegotiatedConnections connections, HubAccess access,
                      RefusalResponses refusals) {
        this.hubs = hubs;
        this.connections = connections;
        this.access = access;
        this.refusals = refusals;
    }

    @POST
    @Path("negotiate")
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> negotiate(@PathParam("hub") String hub,
                                               @QueryParam("negotiateVersion") @DefaultValue("0") int negotiateVersion,
                                               @QueryParam("useStatefulReconnect") @DefaultValue("false")
                                               boolean useStatefulReconnect,
                                               @Context RoutingContext context) {
        Optional<HubConnectionHandler> handler = hubs.handlerForPath("/hubs/" + hub);
        if (handler.isEmpty()) {
            return refused(Refusal.of(404, "There is no hub at /hubs/" + hub + "."));
        }
        if (!hubs.acceptsConnections()) {
            return refused(shuttingDown());
        }
        String path = context.request().path();
        CompletableFuture<Response> answer = new CompletableFuture<>();
        QuarkusHttpUser.getSecurityIdentity(context, null).subscribe().with(
                identity -> decided(access.decide(handler.get().hub(), path, Purpose.NEGOTIATE, identity, null), answer,
                        user -> negotiated(handler.get(), user, negotiateVersion, useStatefulReconnect)),
                failure -> decided(access.decide(handler.get().hub(), path, Purpose.NEGOTIATE, null, failure), answer,
                        user -> negotiated(handler.get(), user, negotiateVersion, useStatefulReconnect)));
        return answer;
    }

    private void decided(CompletionStage<HubAccess.Decision> decision, CompletableFuture<Response> answer,
                         java.util.function.Function<HubAccess.Decision, Response> admitted) {
        decision.whenComplete((decided, error) -> {
            if (error != null) {
                answer.completeExceptionally(error);
            } else if (decided.refusal().isPresent()) {
                answer.complete(refusals.toResponse(decided.refusal().get()));
            } else {
                answer.complete(admitted.apply(decided));
            }
        });
    }

    private Response negotiated(HubConnectionHandler handler, HubAccess.Decision admitted, int negotiateVersion,
                                boolean useStatefulReconnect) {
        int version = Math.max(0, Math.min(negotiateVersion, LATEST_NEGOTIATE_VERSION));
        NegotiatedConnections.Negotiated negotiated = connections.create(handler.hub().path(),
                admitted.principal().userId(), admitted.connectionId(), version, useStatefulReconnect);
        return Response.ok(new NegotiateResponse(negotiated.connectionId(),
                version >= 1 ? negotiated.connectionToken() : null, version, TRANSPORTS,
                negotiated.statefulReconnect() ? Boolean.TRUE : null)).build();
    }

    private CompletionStage<Response> refused(Refusal refusal) {
        return CompletableFuture.completedFuture(refusals.toResponse(refusal));
    }

    /** This replica is stopping: the client's reconnect policy retries, and a load balancer sends it elsewhere. */
    static Refusal shuttingDown() {
        return Refusal.unavailable("This server is shutting down; connect again and another one will answer.", 1);
    }
}
