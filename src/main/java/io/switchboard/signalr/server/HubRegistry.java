package io.switchboard.signalr.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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
    private final ConnectionSlots slots;
    private final long slotRenewalNanos;
    private long lastSlotRenewal = System.nanoTime();
    private final Vertx vertx;
    private final long housekeepingTimer;
    private final Duration shutdownTimeout;
    private final TransientFailures anyTransient;
    private volatile boolean stopping;

    /** @param filters every {@link HubFilter} bean, the highest {@code @Priority} first (ArC's order for {@code @All}) */
    HubRegistry(Instance<Hub> hubs, Instance<TransientFailures> transientFailures, @All List<HubFilter> filters,
                HubLifetimeManagerFactory lifetimeManagers, ConnectionSlots slots, SignalRConfig config,
                ObjectMapper objectMapper, MeterRegistry metrics,
                ConnectionMetrics connectionMetrics,
                Vertx vertx, @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> shutdownTimeout) {
        this.vertx = vertx;
        this.slots = slots;
        this.slotRenewalNanos = config.connectionSlotLease().toNanos() / 3;
        this.shutdownTimeout = shutdownTimeout.orElse(Duration.ZERO);
        HandshakeProtocol handshake = new HandshakeProtocol(objectMapper);
        List<HubProtocol> protocols = List.of(new JsonHubProtocol(objectMapper), new MessagePackHubProtocol(objectMapper));
        HubProtocolResolver resolver = new HubProtocolResolver(protocols);
        Executor workers = blockingExecutor(vertx.getOrCreateContext());
        List<TransientFailures> transients = transientFailures.stream().toList();
        this.anyTransient = failure -> transients.stream().anyMatch(known -> known.isTransient(failure));
        for (Hub hub : hubs) {
            HubLifetimeManager lifetimeManager = lifetimeManagers.create(hub.name(), protocols,
                    new PushMetrics(hub.name(), metrics));
            HubContext context = new HubContext(hub.name(), lifetimeManager);
            HubDispatcher dispatcher = new HubDispatcher(hub, context, metrics, filters);
            handlersByPath.put(hub.path(), new HubConnectionHandler(hub, lifetimeManager, dispatcher, handshake,
                    resolver, config, workers, config.invocationQueue(), slots, connectionMetrics));
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
        // Keep-alive pings to the connections of other event loops: one task per loop, not per connection.
        try (WriteBatch ignored = WriteBatch.open()) {
            for (HubConnectionHandler handler : handlersByPath.values()) {
                handler.housekeeping(now);
            }
        }
        if (now - lastSlotRenewal >= slotRenewalNanos) {
            lastSlotRenewal = now;
            renewSlots();
        }
    }

    private void renewSlots() {
        List<HubConnectionContext> open = new ArrayList<>();
        handlersByPath.values().forEach(handler -> open.addAll(handler.connections()));
        slots.renew(ConnectionSlots.byOwner(open, connection -> connection.user().userId(),
                HubConnectionContext::connectionId));
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
     * True when {@code failure} to authenticate a connection attempt is a temporary outage
     * ({@link TransientFailures}): the client may retry soon.
     */
    public boolean isTransient(Throwable failure) {
        return anyTransient.isTransient(failure);
    }

    /**
     * False once the server has begun to shut down: negotiate and new transports are refused, so
     * reconnecting clients go to another replica, and readiness reports DOWN.
     */
    public boolean acceptsConnections() {
        return !stopping;
    }

    /**
     * The server is going away (SIGTERM). At the start of the shutdown delay ({@code quarkus.shutdown.delay}),
     * while the HTTP server still writes: refuse new connections, and tell every client it may
     * reconnect (to another replica) once the invocations it already sent have answered, waiting for
     * that at most {@code quarkus.shutdown.timeout}. Only then does Quarkus wait for HTTP requests in
     * flight; by the time {@link ShutdownEvent} fires, it has already closed the sockets.
     */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
        CloseMessage reconnect = new CloseMessage(null, true);
        for (HubConnectionHandler handler : handlersByPath.values()) {
            if (handler.openConnections() > 0) {
                LOG.infof("Shutting down: telling %d client(s) of hub %s they may reconnect", handler.openConnections(),
                        handler.hub().name());
            }
            handler.closeAllAfterInvocations(reconnect);
        }
        awaitConnectionsClosed();
        closeAll(reconnect);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        stopping = true;
        closeAll(new CloseMessage(null, true));
    }

    private void awaitConnectionsClosed() {
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        while (openConnections() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (openConnections() > 0) {
            LOG.warnf("Shutting down: %d connection(s) still busy after %s; closing them now", openConnections(),
                    shutdownTimeout);
        }
    }

    private int openConnections() {
        return handlersByPath.values().stream().mapToInt(HubConnectionHandler::openConnections).sum();
    }

    private void closeAll(CloseMessage reason) {
        for (HubConnectionHandler handler : handlersByPath.values()) {
            handler.closeAll(reason);
        }
    }

    @PreDestroy
    void stopHousekeeping() {
        vertx.cancelTimer(housekeepingTimer);
    }
}
