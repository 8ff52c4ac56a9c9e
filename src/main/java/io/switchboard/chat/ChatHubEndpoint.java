package io.switchboard.chat;

import io.quarkus.websockets.next.WebSocket;
import io.switchboard.security.Roles;
import io.switchboard.signalr.transport.HubWebSocketEndpoint;
import io.switchboard.signalr.transport.WebSocketHubAdapter;
import jakarta.annotation.security.RolesAllowed;

/** The WebSocket transport of ChatHub: its path and the role the upgrade requires. */
@WebSocket(path = ChatHub.PATH)
@RolesAllowed(Roles.USER)
public class ChatHubEndpoint extends HubWebSocketEndpoint {

    ChatHubEndpoint(WebSocketHubAdapter adapter) {
        super(adapter);
    }
}
