package io.switchboard.signalr.transport;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * The callbacks every hub's {@code @WebSocket} endpoint shares: each adapts open / message / close /
 * error to the hub's connection handler. A hub's endpoint only names its path and role. The callbacks
 * are public because quarkus-websockets-next generates the caller in the subclass's package.
 */
public abstract class HubWebSocketEndpoint {

    private final WebSocketHubAdapter adapter;

    protected HubWebSocketEndpoint(WebSocketHubAdapter adapter) {
        this.adapter = adapter;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        adapter.onOpen(connection);
    }

    @OnTextMessage
    @NonBlocking
    public void onText(WebSocketConnection connection, String message) {
        adapter.onText(connection, message);
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(WebSocketConnection connection, Buffer message) {
        adapter.onBinary(connection, message);
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        adapter.onClose(connection);
    }

    @OnError
    @NonBlocking
    public void onError(WebSocketConnection connection, Throwable failure) {
        adapter.onError(connection, failure);
    }
}
