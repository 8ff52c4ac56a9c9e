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
}
