package io.switchboard.mcp;

import io.quarkus.websockets.next.WebSocket;
import io.switchboard.signalr.transport.HubWebSocketEndpoint;
import io.switchboard.signalr.transport.WebSocketHubAdapter;

/** The WebSocket transport of McpHub: its path (the role it requires is McpHub's). */
@WebSocket(path = McpHub.PATH)
public class McpHubEndpoint extends HubWebSocketEndpoint {

    McpHubEndpoint(WebSocketHubAdapter adapter) {
        super(adapter);
    }
}
