package io.switchboard.signalr.transport;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.switchboard.signalr.server.HubConnectionContext;
import io.switchboard.signalr.server.HubConnectionHandler;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.Transport;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The shared body of every hub's {@code @WebSocket} endpoint: adapts open / message / close of
 * quarkus-websockets-next to the hub's connection handler, so endpoint classes stay one-liners.
 */
@Singleton
public class WebSocketHubAdapter {

    private static final Logger LOG = Logger.getLogger(WebSocketHubAdapter.class);

    /** The hub connection a socket carries, the handler it belongs to, and the socket's transport. */
    private record Attached(HubConnectionHandler handler, HubConnectionContext connection, Transport transport) {
    }

    private static final UserData.TypedKey<Attached> ATTACHED = new UserData.TypedKey<>("signalr.attached");

    private final HubRegistry hubs;
    private final int maxOutboundBufferSize;

    WebSocketHubAdapter(HubRegistry hubs, io.switchboard.signalr.server.SignalRConfig config) {
        this.maxOutboundBufferSize = config.maxOutboundBufferSize();
        this.hubs = hubs;
    }

    public void onOpen(WebSocketConnection socket) {
        HubUpgradeCheck.AcceptedUpgrade accepted = socket.userData().get(HubUpgradeCheck.ACCEPTED);
        accepted.upgraded().run();
        HubConnectionHandler handler = hubs.handlerForPath(socket.handshakeRequest().path()).orElseThrow();
        WebSocketTransport transport = new WebSocketTransport(socket, accepted.channel(), maxOutboundBufferSize);
        HubConnectionContext connection;
        if (accepted.reattach()) {
            Optional<HubConnectionContext> continued = handler.reattach(accepted.connectionId(),
                    accepted.user().userId(), transport);
            if (continued.isEmpty()) {
                // The connection ended between the upgrade check and now: the client sees the socket close.
                transport.close();
                return;
            }
            connection = continued.get();
        } else {
            connection = handler.open(accepted.connectionId(), accepted.user(), transport, accepted.statefulReconnect());
        }
        socket.userData().put(ATTACHED, new Attached(handler, connection, transport));
        // What only the upgrade needed goes: the socket keeps it for its whole life otherwise.
        socket.userData().remove(HubUpgradeCheck.ACCEPTED);
        if (accepted.channel() != null) {
            HubConnectionContext attached = connection;
            WebSocketFrameGuards.install(accepted.channel(), () -> handler.onOversizedMessage(attached, transport));
        }
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
            attached.handler().onData(attached.connection(), attached.transport(), data);
        }
    }

    public void onClose(WebSocketConnection socket) {
        Attached attached = socket.userData().get(ATTACHED);
        if (attached != null) {
            attached.handler().onTransportClosed(attached.connection(), attached.transport(), saidGoodbye(socket));
        }
    }

    /**
     * A socket failed, most often because the network dropped it (a connection reset). The close
     * that follows decides what happens to the hub connection; this only keeps the failure out of
     * the error log, where websockets-next would put every dropped client.
     */
    public void onError(WebSocketConnection socket, Throwable failure) {
        Attached attached = socket.userData().get(ATTACHED);
        if (attached != null && isOversizedMessage(failure)) {
            // Vert.x dropped a message of several frames at its size bound and reads on: say so and close.
            attached.handler().onOversizedMessage(attached.connection(), attached.transport());
            return;
        }
        LOG.debugf("WebSocket %s failed: %s", socket.id(), failure.toString());
    }

    /** How Vert.x reports a message whose frames add up to more than its bound (it has no type of its own). */
    private static boolean isOversizedMessage(Throwable failure) {
        return failure instanceof IllegalStateException && failure.getMessage() != null
                && failure.getMessage().contains("to overflow max message size");
    }

    /**
     * Whether the client closed the socket with a close frame. Vert.x keeps no status code when the
     * TCP connection just ended, which websockets-next reports as {@link CloseReason#EMPTY} (1005, a
     * code no peer may send): that socket dropped, and a stateful connection waits for the client.
     */
    private static boolean saidGoodbye(WebSocketConnection socket) {
        try {
            CloseReason reason = socket.closeReason();
            return reason != null && reason.getCode() != CloseReason.EMPTY.getCode()
                    && reason.getCode() != CloseReason.ABNORMAL.getCode();
        } catch (IllegalArgumentException e) {
            return true; // a close frame with a status code outside the valid range: still a goodbye
        }
    }
}
