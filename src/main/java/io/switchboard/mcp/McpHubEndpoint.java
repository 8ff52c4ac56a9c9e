package io.switchboard.mcp;

import io.quarkus.websockets.next.WebSocket;
import io.switchboard.security.Roles;
import io.switchboard.signalr.transport.HubWebSocketEndpoint;
import io.switchboard.signalr.transport.WebSocketHubAdapter;
import jakarta.annotation.security.RolesAllowed;

/** The WebSocket transport of McpHub: its path and the role the upgrade requires. */
@WebSocket(path = McpHub.PATH)
@RolesAllowed(Roles.AGENT)
public class McpHubEndpoint extends HubWebSocketEndpoint {

    McpHubEndpoint(WebSocketHubAdapter adapter) {
        super(adapter);
    }
}
