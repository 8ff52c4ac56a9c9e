package io.switchboard.signalr.redis;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the backplane: down while Redis is unreachable (local delivery and REST still work,
 * but pushes do not cross replicas). Up, in-process, when no Redis is configured.
 */
@Readiness
@ApplicationScoped
class BackplaneHealthCheck implements HealthCheck {

    private final Backplane backplane;

    BackplaneHealthCheck(Backplane backplane) {
        this.backplane = backplane;
    }

    @Override
    public HealthCheckResponse call() {
        return backplane.redis()
                .map(redis -> HealthCheckResponse.named("Redis backplane").status(redis.isUp())
                        .withData("mode", "redis").build())
                .orElseGet(() -> HealthCheckResponse.named("Redis backplane").up()
                        .withData("mode", "in-process (single replica)").build());
    }
}
