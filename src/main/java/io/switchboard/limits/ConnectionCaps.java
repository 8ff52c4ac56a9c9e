package io.switchboard.limits;

import io.switchboard.identity.HubUser;
import io.switchboard.identity.Roles;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * How many connections one credential may hold on a replica (docs/api.md, "Limits"): an API key, and
 * a person, over every hub and transport. Checked where a connection starts (negotiate, and a
 * WebSocket opened without negotiating); past the cap the answer is {@code 429}.
 */
@Singleton
public class ConnectionCaps {

    private final LimitsConfig limits;

    ConnectionCaps(LimitsConfig limits) {
        this.limits = limits;
    }

    /**
     * Why {@code user}, who holds {@code held} connections on this replica (open, or negotiated and not
     * yet claimed), may not start another, or empty when they may.
     */
    public Optional<String> refusal(HubUser user, int held) {
        boolean agent = user.hasRole(Roles.AGENT);
        int cap = agent ? limits.connectionsPerApiKey() : limits.connectionsPerUser();
        if (held < cap) {
            return Optional.empty();
        }
        return Optional.of((agent ? "This API key" : "You") + " already " + (agent ? "holds " : "hold ") + cap
                + " connections to this server, the most allowed: close one first.");
    }
}
