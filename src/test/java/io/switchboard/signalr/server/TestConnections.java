package io.switchboard.signalr.server;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.switchboard.signalr.protocol.HandshakeProtocol;
import io.switchboard.signalr.protocol.HubProtocol;
import io.switchboard.signalr.protocol.JsonHubProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/** Connections past their handshake (json protocol) on a {@link RecordingTransport}, for tests. */
public final class TestConnections {

    public static final HubProtocol JSON = new JsonHubProtocol(JsonMapper.builder().findAndAddModules().build());
    public static final List<HubProtocol> PROTOCOLS = List.of(JSON);

    private TestConnections() {
    }

    /** A hub for tests: its name, path {@code /hubs/<name>} and role {@code user}; methods are up to the test. */
    public abstract static class TestHub implements Hub {

        private final String name;

        protected TestHub(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String path() {
            return "/hubs/" + name;
        }

    }

    /**
     * The connection handler of {@code hub} with the defaults of the real configuration, the in-process
     * lifetime manager, invocations run by {@code workers}.
     */
    public static HubConnectionHandler handler(Hub hub, Executor workers, MeterRegistry metrics) {
        return handler(hub, workers, metrics, List.of());
    }

    /** As {@link #handler(Hub, Executor, MeterRegistry)}, with hub filters, the first outermost. */
    public static HubConnectionHandler handler(Hub hub, Executor workers, MeterRegistry metrics,
                                               List<HubFilter> filters) {
        // "15s" durations and ${...} defaults as Quarkus reads them.
        SignalRConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(SignalRConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).build()
                .getConfigMapping(SignalRConfig.class);
        DefaultHubLifetimeManager lifetimeManager = new DefaultHubLifetimeManager(MessageCounter.NONE);
        HubDispatcher dispatcher = new HubDispatcher(hub, new HubContext(hub.name(), lifetimeManager), metrics,
                filters);
        return new HubConnectionHandler(hub, lifetimeManager, dispatcher,
                new HandshakeProtocol(JsonMapper.builder().findAndAddModules().build()), new HubProtocolResolver(PROTOCOLS),
                config, workers, 32, new LocalConnectionSlots(config.connectionSlotLease()),
                new ConnectionMetrics(metrics));
    }

    public static HubConnectionContext connected(String connectionId, String userId, RecordingTransport transport) {
        HubConnectionContext connection = new HubConnectionContext(connectionId, "test",
                new HubPrincipal(userId, null, null), transport, Runnable::run, false);
        connection.completeHandshake(JSON, null);
        return connection;
    }

    /** As {@link #handler(Hub, Executor, MeterRegistry)}, with metrics nobody reads. */
    public static HubConnectionHandler handler(Hub hub, Executor workers) {
        return handler(hub, workers, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }
}
