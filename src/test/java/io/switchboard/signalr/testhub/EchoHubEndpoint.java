package io.switchboard.signalr.testhub;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.websockets.next.WebSocket;
import io.switchboard.signalr.transport.HubWebSocketEndpoint;
import io.switchboard.signalr.transport.WebSocketHubAdapter;

/** The WebSocket transport of {@link EchoHub}. */
@WebSocket(path = EchoHub.PATH)
@IfBuildProperty(name = EngineTestHubs.PROPERTY, stringValue = "true")
public class EchoHubEndpoint extends HubWebSocketEndpoint {

    EchoHubEndpoint(WebSocketHubAdapter adapter) {
        super(adapter);
    }
}
