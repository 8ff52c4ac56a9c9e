package io.switchboard.signalr.transport;

import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import io.switchboard.signalr.server.Transport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.jboss.logging.Logger;

/**
 * Frames over one WebSocket: text protocols as text frames, binary protocols as binary frames. Every
 * write and the close run on the socket's event loop, so a Close message sent from another thread
 * (shutdown, revocation) is written before the socket closes.
 */
final class WebSocketTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class);

    private final WebSocketConnection socket;
    private final Context eventLoop;

    /** Created on the socket's event loop (in {@code @OnOpen}). */
    WebSocketTransport(WebSocketConnection socket) {
        this.socket = socket;
        this.eventLoop = Vertx.currentContext();
    }

    private void onEventLoop(Runnable action) {
        if (eventLoop == null || Context.isOnEventLoopThread() && Vertx.currentContext() == eventLoop) {
            action.run();
        } else {
            eventLoop.runOnContext(ignored -> action.run());
        }
    }

    @Override
    public String name() {
        return "WebSockets";
    }

    @Override
    public void send(EncodedFrame frame) {
        onEventLoop(() -> write(frame));
    }

    private void write(EncodedFrame frame) {
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
        onEventLoop(() -> {
            if (socket.isOpen()) {
                socket.close().subscribe().with(ignored -> {
                }, failure -> LOG.debugf("Closing WebSocket %s failed: %s", socket.id(), failure.getMessage()));
            }
        });
    }
}
