package io.switchboard.security;

import io.switchboard.identity.GuardedHub;
import io.switchboard.identity.HubUser;
import io.switchboard.limits.ConnectionCaps;
import io.switchboard.signalr.server.AdmissionRequest;
import io.switchboard.signalr.server.HubAdmission;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.Refusal;
import io.switchboard.signalr.server.TransientFailures;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who may use a hub, for negotiate, the WebSocket upgrade and the HTTP transports alike:
 * {@code 401} without a valid credential (the detail says what to fix), {@code 503} with
 * {@code Retry-After} when the credential could not be checked for the moment (the database is away),
 * {@code 403} without the hub's role, {@code 429} when a new connection would pass the credential's
 * cap ({@link ConnectionCaps}).
 */
@Singleton
class HubAccessPolicy implements HubAdmission {

    private final AccessProblems problems;
    private final ConnectionCaps caps;
    private final HubRegistry hubs;

    HubAccessPolicy(AccessProblems problems, ConnectionCaps caps, HubRegistry hubs) {
        this.problems = problems;
        this.caps = caps;
        this.hubs = hubs;
    }

    @Override
    public CompletionStage<Optional<Refusal>> decide(AdmissionRequest request) {
        Optional<Refusal> refusal = refusal(request);
        if (refusal.isPresent() || !request.purpose().startsConnection()) {
            return CompletableFuture.completedFuture(refusal);
        }
        // Last, so that a slot is taken only by a request admitted otherwise.
        return caps.refusal(request.principal().attributes(HubUser.class), request)
                .thenApply(detail -> detail.map(text -> Refusal.of(429, text)));
    }

    private Optional<Refusal> refusal(AdmissionRequest request) {
        if (!request.authenticated()) {
            Throwable failure = request.credentialFailure();
            if (failure != null && hubs.isTransient(failure)) {
                return Optional.of(TransientFailures.refusal());
            }
            return Optional.of(Refusal.unauthenticated(problems.unauthenticated(failure, request.path())));
        }
        HubUser user = request.principal().attributes(HubUser.class);
        if (request.hub() instanceof GuardedHub guarded && !user.hasRole(guarded.requiredRole())) {
            return Optional.of(Refusal.of(403,
                    problems.forbiddenOnHub(request.hub().path(), guarded.requiredRole(), request.path())));
        }
        return Optional.empty();
    }
}
