package io.switchboard.signalr.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.switchboard.limits.LimitsConfig;
import io.switchboard.signalr.protocol.CloseMessage;
import io.switchboard.signalr.protocol.HandshakeProtocol;
import io.switchboard.signalr.protocol.HubProtocol;
import io.switchboard.signalr.protocol.JsonHubProtocol;
import io.switchboard.signalr.protocol.MessagePackHubProtocol;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Builds the engine of every {@link Hub} bean once at start (method table, lifetime manager,
 * connection handler) and runs the periodic housekeeping shared by all connections.
 */
@Startup
@Singleton
public class HubRegistry {

    private static final Logger LOG = Logger.getLogger(HubRegistry.class);

    private final Map<String, HubConnectionHandler> handlersByPath = new LinkedHashMap<>();
    private final Map<String, HubContext> contextsByName = new LinkedHashMap<>();
    private final Vertx vertx;
    private final long housekeepingTimer;

    HubRegistry(Instance<Hub> hubs, HubLifetimeManagerFactory lifetimeManagers, SignalRConfig config,
                LimitsConfig limits, ObjectMapper objectMapper, MeterRegistry metrics, Vertx vertx) {
        this.vertx = vertx;
        HandshakeProtocol handshake = new HandshakeProtocol(objectMapper);
        List<HubProtocol> protocols = List.of(new JsonHubProtocol(objectMapper), new MessagePackHubProtocol(objectMapper));
        HubProtocolResolver resolver = new HubProtocolResolver(protocols);
        ConnectionGauges gauges = new ConnectionGauges(metrics);
        Executor workers = blockingExecutor(vertx.getOrCreateContext());
        for (Hub hub : hubs) {
            Counter pushedCounter = Counter.builder("signalr.messages.pushed")
                    .description("Messages written to connections").tag("hub", hub.name()).register(metrics);
            HubLifetimeManager lifetimeManager = lifetimeManagers.create(hub.name(), protocols, pushedCounter::increment);
            HubContext context = new HubContext(hub.name(), lifetimeManager);
            HubDispatcher dispatcher = new HubDispatcher(hub, context, metrics);
            handlersByPath.put(hub.path(), new HubConnectionHandler(hub, lifetimeManager, dispatcher, handshake,
                    resolver, config, workers, limits.invocationQueue(), gauges));
            contextsByName.put(hub.name(), context);
            LOG.infof("Hub %s listening on %s", hub.name(), hub.path());
        }
        housekeepingTimer = vertx.setPeriodic(config.housekeepingInterval().toMillis(), id -> housekeeping());
    }

    // Hub methods may block (JDBC): they run on the worker pool, never on the event loop.
    private static Executor blockingExecutor(Context context) {
        return task -> context.executeBlocking(() -> {
            task.run();
            return null;
        }, false);
    }

    private void housekeeping() {
        long now = System.nanoTime();
        for (HubConnectionHandler handler : handlersByPath.values()) {
            handler.housekeeping(now);
        }
    }

    /** The handler of the hub served at {@code path}. */
    public Optional<HubConnectionHandler> handlerForPath(String path) {
        return Optional.ofNullable(handlersByPath.get(path));
    }

    /** Sends to clients of the hub called {@code hubName} from outside a hub method. */
    public HubContext context(String hubName) {
        HubContext context = contextsByName.get(hubName);
        if (context == null) {
            throw new IllegalArgumentException("No hub named " + hubName);
        }
        return context;
    }

    public Collection<HubConnectionHandler> handlers() {
        return handlersByPath.values();
    }

    /**
     * The server is going away: tell every client it may reconnect (to another replica). This runs at
     * the start of the shutdown delay ({@code quarkus.shutdown.delay}), while the HTTP server still
     * writes; by the time {@link ShutdownEvent} fires, Quarkus has already closed the sockets.
     */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        closeAllForShutdown();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        closeAllForShutdown();
    }

    private void closeAllForShutdown() {
        CloseMessage reconnect = new CloseMessage(null, true);
        for (HubConnectionHandler handler : handlersByPath.values()) {
            if (handler.openConnections() > 0) {
                LOG.infof("Shutting down: telling %d client(s) of hub %s they may reconnect", handler.openConnections(),
                        handler.hub().name());
            }
            handler.closeAll(reconnect);
        }
    }

    @PreDestroy
    void stopHousekeeping() {
        vertx.cancelTimer(housekeepingTimer);
    }
}
