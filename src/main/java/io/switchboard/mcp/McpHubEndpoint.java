package io.switchboard.mcp;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.switchboard.security.Roles;
import io.switchboard.signalr.transport.WebSocketHubAdapter;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;

/** The WebSocket transport of McpHub; the upgrade is secured here, everything else is the shared adapter. */
@WebSocket(path = McpHub.PATH)
@RolesAllowed(Roles.AGENT)
public class McpHubEndpoint {

    private final WebSocketHubAdapter adapter;

    McpHubEndpoint(WebSocketHubAdapter adapter) {
        this.adapter = adapter;
    }

    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        adapter.onOpen(connection);
    }

    @OnTextMessage
    @NonBlocking
    void onText(WebSocketConnection connection, String message) {
        adapter.onText(connection, message);
    }

    @OnBinaryMessage
    @NonBlocking
    void onBinary(WebSocketConnection connection, Buffer message) {
        adapter.onBinary(connection, message);
    }

    @OnClose
    @NonBlocking
    void onClose(WebSocketConnection connection) {
        adapter.onClose(connection);
    }

    @OnError
    @NonBlocking
    void onError(WebSocketConnection connection, Throwable failure) {
        adapter.onError(connection, failure);
    }
}
