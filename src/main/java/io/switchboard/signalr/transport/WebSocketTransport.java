package io.switchboard.signalr.transport;

import io.netty.buffer.Unpooled;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import io.switchboard.signalr.server.Transport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Frames over one WebSocket: text protocols as text frames, binary protocols as binary frames. Every
 * write and the close run on the socket's event loop, so a Close message sent from another thread
 * (shutdown, revocation) is written before the socket closes. Bytes not yet handed to the network
 * are counted: a client that stops reading is disconnected once more than the configured maximum
 * waits, instead of the server buffering for it without end.
 */
final class WebSocketTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class);

    private final WebSocketConnection socket;
    private final Context eventLoop;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    /** The Vert.x socket under websockets-next's, when it can be reached (see {@link WebSocketReading}). */
    private final ServerWebSocket webSocket;

    /** Created on the socket's event loop (in {@code @OnOpen}). */
    WebSocketTransport(WebSocketConnection socket, long maxQueuedBytes) {
        this.socket = socket;
        this.eventLoop = Vertx.currentContext();
        this.maxQueuedBytes = maxQueuedBytes;
        this.webSocket = WebSocketReading.of(socket).orElse(null);
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
        int size = frame.bytes().length;
        if (queuedBytes.addAndGet(size) > maxQueuedBytes) {
            queuedBytes.addAndGet(-size);
            if (overflowed.compareAndSet(false, true)) {
                LOG.warnf("Closing WebSocket %s: its client is not reading and more than %d bytes wait for it",
                        socket.id(), maxQueuedBytes);
                close();
            }
            return;
        }
        onEventLoop(() -> write(frame, size));
    }

    private void write(EncodedFrame frame, int size) {
        if (webSocket != null) {
            // The frame's bytes as they are, shared by every receiver: no per-connection encoding and no
            // Mutiny pipeline per write (the cost of fan-out and of keep-alive pings).
            WebSocketFrameType type = frame.format() == TransferFormat.TEXT ? WebSocketFrameType.TEXT : WebSocketFrameType.BINARY;
            webSocket.writeFrame(new WebSocketFrameImpl(type, Unpooled.wrappedBuffer(frame.bytes()), true))
                    .onComplete(result -> written(size, result.cause()));
            return;
        }
        Uni<Void> write = frame.format() == TransferFormat.TEXT
                ? socket.sendText(frame.text())
                : socket.sendBinary(Buffer.buffer(frame.bytes()));
        write.subscribe().with(ignored -> written(size, null), failure -> written(size, failure));
    }

    private void written(int size, Throwable failure) {
        queuedBytes.addAndGet(-size);
        if (failure != null) {
            LOG.debugf("Write to WebSocket %s failed: %s", socket.id(), failure.getMessage());
            close();
        }
    }

    // Pause and resume are called in order under the connection's inbound lock, from the event loop or a
    // worker; always queuing them on the socket's context keeps that order on the socket.
    @Override
    public void pauseReading() {
        if (webSocket != null) {
            eventLoop.runOnContext(ignored -> webSocket.pause());
        }
    }

    @Override
    public void resumeReading() {
        if (webSocket != null) {
            eventLoop.runOnContext(ignored -> webSocket.resume());
        }
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
