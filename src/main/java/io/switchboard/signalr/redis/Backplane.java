package io.switchboard.signalr.redis;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.signalr.server.ConnectionSlots;
import io.switchboard.signalr.server.DefaultHubLifetimeManager;
import io.switchboard.signalr.server.LocalConnectionSlots;
import io.switchboard.signalr.server.SignalRConfig;
import io.switchboard.signalr.server.HubLifetimeManagerFactory;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Chooses how replicas coordinate: through Redis when {@code quarkus.redis.hosts} is set, otherwise
 * not at all (a single replica with the in-process lifetime manager).
 */
@Singleton
public class Backplane {

    private static final Logger LOG = Logger.getLogger(Backplane.class);

    private final RedisBackplane redis;
    private final String serverId = UUID.randomUUID().toString();
    private final RedisConfig config;
    private final ObjectMapper mapper;

    Backplane(@ConfigProperty(name = "quarkus.redis.hosts") Optional<String> hosts, Instance<Redis> redisClient,
              Vertx vertx, RedisConfig config, ObjectMapper mapper, MeterRegistry metrics,
              Event<BackplaneReconnected> reconnected) {
        this.config = config;
        this.mapper = mapper;
        if (hosts.isPresent()) {
            redis = new RedisBackplane(vertx, redisClient.get(), config.retryInterval(), config.publishBuffer(),
                    config.publishPipeline(), metrics);
            redis.onReconnected(() -> reconnected.fireAsync(new BackplaneReconnected()));
            redis.start();
            LOG.infof("Replicas coordinate through Redis (server id %s, channel prefix %s)", serverId, config.keyPrefix());
        } else {
            redis = null;
            LOG.info("No quarkus.redis.hosts: running as a single replica with the in-process lifetime manager");
        }
    }

    /** The Redis link, when replicas coordinate through Redis. */
    public Optional<RedisBackplane> redis() {
        return Optional.ofNullable(redis);
    }

    /** True when a push reaches every replica now: Redis is connected, or there is no other replica. */
    public boolean isConnected() {
        return redis == null || redis.isUp();
    }

    @Produces
    @Singleton
    HubLifetimeManagerFactory lifetimeManagers() {
        if (redis == null) {
            return (hubName, protocols, pushed) -> new DefaultHubLifetimeManager(pushed);
        }
        RedisEnvelope.Codec codec = new RedisEnvelope.Codec(mapper);
        return (hubName, protocols, pushed) -> new RedisHubLifetimeManager(serverId, hubName, config.keyPrefix(), redis,
                codec, protocols, pushed);
    }

    /** Connection slots counted over every replica through Redis, or by this replica alone. */
    @Produces
    @Singleton
    ConnectionSlots connectionSlots(SignalRConfig signalR, Instance<Redis> redisClient) {
        return redis == null ? new LocalConnectionSlots(signalR.connectionSlotLease())
                : new RedisConnectionSlots(redisClient.get(), config.keyPrefix(), signalR.connectionSlotLease());
    }

    // Before Quarkus closes the Redis client, so a shutdown is not reported as an outage.
    void onShutdown(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
        close();
    }

    @PreDestroy
    void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
