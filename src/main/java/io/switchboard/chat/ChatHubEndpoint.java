package io.switchboard.chat;

import io.quarkus.websockets.next.WebSocket;
import io.switchboard.signalr.transport.HubWebSocketEndpoint;
import io.switchboard.signalr.transport.WebSocketHubAdapter;

/** The WebSocket transport of ChatHub: its path (the role it requires is ChatHub's). */
@WebSocket(path = ChatHub.PATH)
public class ChatHubEndpoint extends HubWebSocketEndpoint {

    ChatHubEndpoint(WebSocketHubAdapter adapter) {
        super(adapter);
    }
}
