package io.switchboard.signalr.transport;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.switchboard.signalr.server.AdmissionRequest;
import io.switchboard.signalr.server.ConnectionSlots;
import io.switchboard.signalr.server.AdmissionRequest.Purpose;
import io.switchboard.signalr.server.Hub;
import io.switchboard.signalr.server.HubAdmission;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubPrincipal;
import io.switchboard.signalr.server.Refusal;
import io.switchboard.signalr.server.UserIdProvider;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Who may use a hub, decided the same way for every request on its path, negotiate included: the
 * caller's identity becomes a {@link HubPrincipal} ({@link UserIdProvider}) and the application's
 * {@link HubAdmission} admits or refuses the request. Refusals are written by {@link RefusalResponses},
 * so a client that cannot connect learns why. WebSocket upgrades are decided here before the upgrade,
 * because a refused upgrade check of quarkus-websockets-next can only answer a bare status.
 */
@Singleton
class HubAccess {

    private static final Logger LOG = Logger.getLogger(HubAccess.class);

    private final UserIdProvider users;
    private final HubAdmission admission;
    private final RefusalResponses refusals;
    private final ConnectionSlots slots;
    private final DirectConnectionIds directConnectionIds;

    HubAccess(UserIdProvider users, HubAdmission admission, RefusalResponses refusals, ConnectionSlots slots,
              DirectConnectionIds directConnectionIds) {
        this.users = users;
        this.slots = slots;
        this.directConnectionIds = directConnectionIds;
        this.admission = admission;
        this.refusals = refusals;
    }

    /**
     * An upgrade on a hub path: refused with a problem body, or passed on to the hub's {@code @WebSocket}
     * endpoint (its upgrade check then claims the connection id).
     */
    void upgrade(RoutingContext context, HubConnectionHandler handler) {
        Purpose purpose = context.request().getParam("id") == null ? Purpose.CONNECT_WITHOUT_NEGOTIATING
                : Purpose.USE_NEGOTIATED;
        Context eventLoop = Vertx.currentContext();
        QuarkusHttpUser.getSecurityIdentity(context, null).subscribe().with(
                identity -> admit(context, handler.hub(), purpose, identity, null, admitted -> onEventLoop(eventLoop, () -> {
                    forgetHowTheIdentityWasFound(context, identity);
                    if (admitted.connectionId() != null) {
                        directConnectionIds.hold(context.request(), admitted.connectionId());
                    }
                    context.next();
                })),
                failure -> admit(context, handler.hub(), purpose, null, failure, admitted -> { }));
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
     * Decides a request whose identity is known ({@code identity}) or was refused ({@code failure}):
     * {@code admitted} gets the decision, or the refusal is answered.
     */
    void admit(RoutingContext context, Hub hub, Purpose purpose, SecurityIdentity identity, Throwable failure,
               Consumer<Decision> admitted) {
        decide(hub, context.request().path(), purpose, identity, failure).whenComplete((decision, error) -> {
            if (error != null) {
                LOG.errorf(error, "Deciding a request on hub %s failed", hub.name());
                refusals.write(context.response(), Refusal.of(500, "The server could not decide the request."));
            } else if (decision.refusal().isPresent()) {
                refusals.write(context.response(), decision.refusal().get());
            } else {
                admitted.accept(decision);
            }
        });
    }

    /**
     * The outcome of an admission: the principal when admitted, and when the request starts a
     * connection, the id under which its slot was offered ({@link AdmissionRequest#slot()}).
     */
    record Decision(HubPrincipal principal, String connectionId, Optional<Refusal> refusal) {
    }

    /** The one admission decision, for the HTTP paths and negotiate alike. */
    CompletionStage<Decision> decide(Hub hub, String path, Purpose purpose, SecurityIdentity identity,
                                     Throwable failure) {
        HubPrincipal principal = null;
        if (failure == null && identity != null && !identity.isAnonymous()) {
            try {
                principal = users.principalOf(identity);
            } catch (RuntimeException notAHubUser) {
                failure = notAHubUser;
            }
        }
        HubPrincipal known = principal;
        // The new connection's id is chosen now, so that its slot is taken under the id it will have.
        String connectionId = principal != null && purpose.startsConnection() ? UUID.randomUUID().toString() : null;
        AdmissionRequest.Slot slot = connectionId == null ? null
                : cap -> slots.take(known.userId(), connectionId, cap);
        try {
            return admission.decide(new AdmissionRequest(hub, path, purpose, principal, failure, slot))
                    .thenApply(refusal -> new Decision(known, connectionId, refusal));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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
