package io.switchboard.signalr.server;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness goes DOWN the moment the server starts shutting down, before any client is told to
 * reconnect: whichever order Quarkus runs its own shutdown steps in, no load balancer sends a new
 * client to a replica that is telling its clients to leave.
 */
@Readiness
@ApplicationScoped
class ShutdownReadinessCheck implements HealthCheck {

    private final HubRegistry hubs;

    ShutdownReadinessCheck(HubRegistry hubs) {
        this.hubs = hubs;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Hubs accepting connections").status(hubs.acceptsConnections()).build();
    }
}
