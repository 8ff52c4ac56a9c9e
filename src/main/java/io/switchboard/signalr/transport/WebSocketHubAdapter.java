package io.switchboard.signalr.transport;

import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.signalr.server.HubConnectionContext;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubRegistry;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * The shared body of every hub's {@code @WebSocket} endpoint: adapts open / message / close of
 * quarkus-websockets-next to the hub's connection handler, so endpoint classes stay one-liners.
 */
@Singleton
public class WebSocketHubAdapter {

    /** The hub connection a socket carries, and the handler it belongs to. */
    private record Attached(HubConnectionHandler handler, HubConnectionContext connection) {
    }

    private static final UserData.TypedKey<Attached> ATTACHED = new UserData.TypedKey<>("signalr.attached");

    private final HubRegistry hubs;

    WebSocketHubAdapter(HubRegistry hubs) {
        this.hubs = hubs;
    }

    public void onOpen(WebSocketConnection socket) {
        HubUpgradeCheck.AcceptedUpgrade accepted = socket.userData().get(HubUpgradeCheck.ACCEPTED);
        HubConnectionHandler handler = hubs.handlerForPath(socket.handshakeRequest().path()).orElseThrow();
        HubConnectionContext connection = handler.open(accepted.connectionId(), accepted.user(),
                new WebSocketTransport(socket));
        socket.userData().put(ATTACHED, new Attached(handler, connection));
    }

    public void onText(WebSocketConnection socket, String text) {
        onData(socket, text.getBytes(StandardCharsets.UTF_8));
    }

    public void onBinary(WebSocketConnection socket, Buffer data) {
        onData(socket, data.getBytes());
    }

    private void onData(WebSocketConnection socket, byte[] data) {
        Attached attached = socket.userData().get(ATTACHED);
        if (attached != null) {
            attached.handler().onData(attached.connection(), data);
        }
    }

    public void onClose(WebSocketConnection socket) {
        Attached attached = socket.userData().get(ATTACHED);
        if (attached != null) {
            attached.handler().onTransportClosed(attached.connection());
        }
    }
}
