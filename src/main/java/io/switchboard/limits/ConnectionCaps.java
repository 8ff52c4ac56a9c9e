package io.switchboard.limits;

import io.switchboard.identity.HubUser;
import io.switchboard.identity.Roles;
import io.switchboard.signalr.server.AdmissionRequest;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * How many connections one credential may hold (docs/api.md, "Limits"): an API key, and a person, over
 * every hub, transport and replica. Counted where a connection starts (negotiate, and a WebSocket
 * opened without negotiating) by taking a slot in one atomic step; past the cap the answer is
 * {@code 429}.
 */
@Singleton
public class ConnectionCaps {

    private final LimitsConfig limits;

    ConnectionCaps(LimitsConfig limits) {
        this.limits = limits;
    }

    /** Empty when the request's new connection took a slot within the cap of its user, else why not. */
    public CompletionStage<Optional<String>> refusal(HubUser user, AdmissionRequest request) {
        boolean agent = user.hasRole(Roles.AGENT);
        int cap = agent ? limits.connectionsPerApiKey() : limits.connectionsPerUser();
        return request.takeConnectionSlotWithin(cap).thenApply(taken -> taken ? Optional.<String>empty()
                : Optional.of((agent ? "This API key" : "You") + " already " + (agent ? "holds " : "hold ") + cap
                        + " connections to this service, the most allowed: close one first."));
    }
}
