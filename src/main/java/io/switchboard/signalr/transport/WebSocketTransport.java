package io.switchboard.signalr.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import io.switchboard.signalr.server.Transport;
import io.switchboard.signalr.server.WriteBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jboss.logging.Logger;

/**
 * Frames over one WebSocket: text protocols as text frames, binary protocols as binary frames. Every
 * write and the close run on the socket's event loop, in the order they were asked for, so a Close
 * message sent from another thread (shutdown, revocation) is written before the socket closes. Bytes
 * not yet handed to the network are counted: a client that stops reading is disconnected once more
 * than the configured maximum waits, instead of the server buffering for it without end.
 *
 * <p>A frame is written straight on the connection's Netty channel, from the message's bytes shared
 * by every receiver: no encoding per connection, and no future, listener or metrics hook per write,
 * which is what fan-out and keep-alive pings cost most (see docs/benchmarks.md). What is waiting is the
 * bytes queued for the event loop plus the channel's own outbound buffer, which Netty keeps count of.
 * When the channel cannot be reached the frames go through websockets-next.
 *
 * <p>Frames wait in a lock-free list until the event loop takes them all, writes them and flushes
 * once: a connection that falls behind gets its waiting frames in one system call, and a group message
 * costs each event loop one task for all its members ({@link WriteBatch}).
 */
final class WebSocketTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class);

    /** A frame waiting for the event loop; the list is newest first. */
    private record Waiting(EncodedFrame frame, Waiting previous) {
    }

    private static final AtomicReferenceFieldUpdater<WebSocketTransport, Waiting> WAITING =
            AtomicReferenceFieldUpdater.newUpdater(WebSocketTransport.class, Waiting.class, "waiting");

    private final WebSocketConnection socket;
    private final Context eventLoop;
    private final long maxQueuedBytes;
    /** Bytes given to {@link #send} and not yet written to the channel (or, without one, not yet sent). */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    /** The Vert.x socket under websockets-next's, when it can be reached (see {@link WebSocketReading}). */
    private final ServerWebSocket webSocket;
    /** The connection's Netty channel, or null (then frames go through websockets-next). */
    private final Channel channel;
    /** Frames given to {@link #send} and not yet taken by the event loop, newest first. */
    private volatile Waiting waiting;
    private final Runnable writeWaiting = this::writeWaiting;

    /** Created on the socket's event loop (in {@code @OnOpen}). */
    WebSocketTransport(WebSocketConnection socket, Channel channel, long maxQueuedBytes) {
        this.socket = socket;
        this.eventLoop = Vertx.currentContext();
        this.maxQueuedBytes = maxQueuedBytes;
        this.webSocket = WebSocketReading.of(socket).orElse(null);
        this.channel = webSocket != null ? channel : null;
    }

    @Override
    public String name() {
        return "WebSockets";
    }

    @Override
    public void send(EncodedFrame frame) {
        int size = frame.bytes().length;
        if (queuedBytes.addAndGet(size) + waitingOnChannel() > maxQueuedBytes) {
            queuedBytes.addAndGet(-size);
            if (overflowed.compareAndSet(false, true)) {
                LOG.warnf("Closing WebSocket %s: its client is not reading and more than %d bytes wait for it",
                        socket.id(), maxQueuedBytes);
                close();
            }
            return;
        }
        if (channel == null) {
            onContext(() -> sendThroughWebSocketsNext(frame, size));
            return;
        }
        Waiting before;
        do {
            before = waiting;
        } while (!WAITING.compareAndSet(this, before, new Waiting(frame, before)));
        if (before != null) {
            return; // the event loop has yet to take the frames before this one, and will take it with them
        }
        if (channel.eventLoop().inEventLoop()) {
            writeWaiting();
        } else {
            WriteBatch.run(channel.eventLoop(), writeWaiting);
        }
    }

    /** Bytes in the channel's outbound buffer (written, not yet taken by the network); read from any thread. */
    private long waitingOnChannel() {
        if (channel == null) {
            return 0;
        }
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** On the event loop: writes every waiting frame, oldest first, and flushes once. */
    private void writeWaiting() {
        Waiting newest = WAITING.getAndSet(this, null);
        if (newest == null) {
            return;
        }
        Waiting oldestFirst = newest;
        if (newest.previous() != null) {
            oldestFirst = null;
            for (Waiting w = newest; w != null; w = w.previous()) {
                oldestFirst = new Waiting(w.frame(), oldestFirst);
            }
        }
        boolean open = channel.isActive() && !webSocket.isClosed();
        for (Waiting w = oldestFirst; w != null; w = w.previous()) {
            EncodedFrame frame = w.frame();
            queuedBytes.addAndGet(-frame.bytes().length);
            // Once closed, Vert.x has ended the WebSocket: no data frame may follow its close frame.
            if (open) {
                WebSocketFrame netty = frame.format() == TransferFormat.TEXT
                        ? new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(frame.bytes()))
                        : new BinaryWebSocketFrame(true, 0, Unpooled.wrappedBuffer(frame.bytes()));
                // A failed write reaches the pipeline's exception handling, which closes the connection.
                channel.write(netty, channel.voidPromise());
            }
        }
        if (open) {
            channel.flush();
        }
    }

    private void sendThroughWebSocketsNext(EncodedFrame frame, int size) {
        Uni<Void> write = frame.format() == TransferFormat.TEXT
                ? socket.sendText(frame.text())
                : socket.sendBinary(Buffer.buffer(frame.bytes()));
        write.subscribe().with(ignored -> queuedBytes.addAndGet(-size), failure -> {
            queuedBytes.addAndGet(-size);
            LOG.debugf("Write to WebSocket %s failed: %s", socket.id(), failure.getMessage());
            close();
        });
    }

    private void onContext(Runnable action) {
        if (eventLoop == null || Context.isOnEventLoopThread() && Vertx.currentContext() == eventLoop) {
            action.run();
        } else {
            eventLoop.runOnContext(ignored -> action.run());
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
        // The socket's context runs on the channel's event loop: queued there, the close follows every write
        // asked for before it.
        onContext(() -> {
            if (channel != null) {
                writeWaiting(); // a batch that holds them may not have handed them over yet
            }
            if (socket.isOpen()) {
                socket.close().subscribe().with(ignored -> {
                }, failure -> LOG.debugf("Closing WebSocket %s failed: %s", socket.id(), failure.getMessage()));
            }
        });
    }
}
