package io.switchboard.signalr.transport;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import io.switchboard.signalr.server.Transport;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

/** Frames over one WebSocket: text protocols as text frames, binary protocols as binary frames. */
final class WebSocketTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class);

    private final WebSocketConnection socket;

    WebSocketTransport(WebSocketConnection socket) {
        this.socket = socket;
    }

    @Override
    public String name() {
        return "WebSockets";
    }

    @Override
    public void send(EncodedFrame frame) {
        Uni<Void> write = frame.format() == TransferFormat.TEXT
                ? socket.sendText(frame.text())
                : socket.sendBinary(Buffer.buffer(frame.bytes()));
        write.subscribe().with(ignored -> {
        }, failure -> {
            LOG.debugf("Write to WebSocket %s failed: %s", socket.id(), failure.getMessage());
            close();
        });
    }

    @Override
    public void close() {
        if (socket.isOpen()) {
            socket.close().subscribe().with(ignored -> {
            }, failure -> LOG.debugf("Closing WebSocket %s failed: %s", socket.id(), failure.getMessage()));
        }
    }
}
