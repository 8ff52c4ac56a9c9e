package io.switchboard.signalr.transport;

import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Server-to-client frames as Server-Sent Events on one long {@code GET} response
 * (ASP.NET Core's ServerSentEventsServerTransport).
 *
 * <p>Backpressure: frames go straight to the response; Vert.x queues what the socket cannot take yet.
 * When more than {@code maxBufferedBytes} are queued the client is too slow to keep up and the stream
 * is ended, which the client sees as the connection closing.
 */
final class ServerSentEventsTransport extends HttpTransport {

    static final String NAME = "ServerSentEvents";

    private static final Logger LOG = Logger.getLogger(ServerSentEventsTransport.class);

    private final String connectionId;
    private final HttpServerResponse response;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long closedAtNanos;

    ServerSentEventsTransport(String connectionId, HttpServerResponse response, int maxBufferedBytes) {
        this.connectionId = connectionId;
        this.response = response;
        response.setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache,no-store")
                .putHeader("Pragma", "no-cache")
                // Events must reach the client as they are written: no compression, no proxy buffering (nginx).
                .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
                .putHeader("X-Accel-Buffering", "no")
                .setChunked(true)
                .setWriteQueueMaxSize(maxBufferedBytes);
        response.closeHandler(ignored -> end("the client closed the stream"));
        response.exceptionHandler(failure -> end("the stream failed: " + failure.getMessage()));
    }

    /** Sends the headers and the opening comment: the client POSTs its handshake as soon as it sees them. */
    @Override
    void attached() {
        try {
            response.write(ServerSentEventsFormat.OPENING);
        } catch (IllegalStateException alreadyEnded) {
            end("the stream is gone");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Events carry text only, which is why negotiate offers this transport for Text alone. */
    @Override
    public boolean carries(TransferFormat format) {
        return format == TransferFormat.TEXT;
    }

    @Override
    public void send(EncodedFrame frame) {
        if (closed.get()) {
            return;
        }
        if (frame.format() == TransferFormat.BINARY) {
            // Unreachable: the handshake refuses a binary protocol on this transport (carries). Should
            // one slip through, the client is closed rather than sent bytes an event cannot hold.
            LOG.debugf("Closing connection %s: a binary hub protocol cannot use Server-Sent Events", connectionId);
            close();
            return;
        }
        try {
            response.write(ServerSentEventsFormat.event(frame.bytes()));
        } catch (IllegalStateException alreadyEnded) {
            end("the stream is gone");
            return;
        }
        if (response.writeQueueFull()) {
            LOG.infof("Closing connection %s: its Server-Sent Events client is not reading fast enough", connectionId);
            close();
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closedAtNanos = System.nanoTime();
            try {
                response.end();
            } catch (IllegalStateException alreadyEnded) {
                // The client went first; nothing left to end.
            }
            ended();
        }
    }

    private void end(String why) {
        if (closed.compareAndSet(false, true)) {
            closedAtNanos = System.nanoTime();
            LOG.debugf("Server-Sent Events transport of connection %s ended: %s", connectionId, why);
            ended();
        }
    }

    @Override
    boolean isClosed() {
        return closed.get();
    }

    @Override
    long nanosSinceClosed(long now) {
        return closed.get() ? now - closedAtNanos : 0;
    }
}
