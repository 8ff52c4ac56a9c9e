package io.switchboard.signalr.server;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.signalr.protocol.HubProtocol;
import io.switchboard.signalr.protocol.JsonHubProtocol;
import java.util.List;
import java.util.Set;

/** Connections past their handshake (json protocol) on a {@link RecordingTransport}, for tests. */
public final class TestConnections {

    public static final HubProtocol JSON = new JsonHubProtocol(JsonMapper.builder().findAndAddModules().build());
    public static final List<HubProtocol> PROTOCOLS = List.of(JSON);

    private TestConnections() {
    }

    public static HubConnectionContext connected(String connectionId, String userId, RecordingTransport transport) {
        HubConnectionContext connection = new HubConnectionContext(connectionId, "test",
                new HubUser(userId, userId, "tenant", Set.of("user")), transport, Runnable::run, false);
        connection.completeHandshake(JSON, null);
        return connection;
    }

    /** A connection handler of {@code hub} with the real configuration's defaults and a 32-invocation queue. */
    public static HubConnectionHandler handler(Hub hub, java.util.concurrent.Executor workers) {
        // The defaults of the real configuration; "15s" durations as Quarkus reads them.
        SignalRConfig config = new io.smallrye.config.SmallRyeConfigBuilder().withMapping(SignalRConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .build().getConfigMapping(SignalRConfig.class);
        JsonMapper json = JsonMapper.builder().findAndAddModules().build();
        DefaultHubLifetimeManager lifetimeManager = new DefaultHubLifetimeManager(MessageCounter.NONE);
        io.micrometer.core.instrument.simple.SimpleMeterRegistry metrics =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        HubDispatcher dispatcher = new HubDispatcher(hub, new HubContext(hub.name(), lifetimeManager), metrics);
        return new HubConnectionHandler(hub, lifetimeManager, dispatcher,
                new io.switchboard.signalr.protocol.HandshakeProtocol(json), new HubProtocolResolver(PROTOCOLS), config,
                workers, 32, new ConnectionMetrics(metrics));
    }
}
