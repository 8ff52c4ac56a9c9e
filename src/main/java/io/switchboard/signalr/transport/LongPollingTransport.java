package io.switchboard.signalr.transport;

import io.switchboard.signalr.protocol.TransferFormat;
import io.switchboard.signalr.server.EncodedFrame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Server-to-client frames as answers to polls (ASP.NET Core's LongPollingServerTransport). Frames are
 * queued until a poll takes them all; a poll with nothing to take is held, without a thread, until a
 * frame arrives or the poll timeout ends it with an empty {@code 200}. A new poll ends a held one with
 * {@code 204}, and so does the end of the connection.
 *
 * <p>Backpressure: the queue holds at most {@code maxBufferedBytes}. A client that does not poll for
 * that much is disconnected: the queue is dropped and its next poll is answered {@code 204}.
 *
 * <p>All state is guarded by {@code this}; responses are written outside the lock.
 */
final class LongPollingTransport extends HttpTransport {

    static final String NAME = "LongPolling";

    private static final Logger LOG = Logger.getLogger(LongPollingTransport.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String BINARY = "application/octet-stream";

    /** One held poll request. */
    private static final class Poll {
        final HttpServerResponse response;
        long timer = -1;
        boolean gone;

        Poll(HttpServerResponse response) {
            this.response = response;
        }
    }

    private final String connectionId;
    private final Vertx vertx;
    private final long pollTimeoutMillis;
    private final int maxBufferedBytes;
    private final ArrayDeque<EncodedFrame> queue = new ArrayDeque<>();
    private int queuedBytes;
    private Poll held;
    private boolean polled;
    private boolean closed;
    private long closedAtNanos;
    // When the last poll ended: with no poll held, the client has this long been away.
    private long idleSinceNanos = System.nanoTime();

    LongPollingTransport(String connectionId, Vertx vertx, Duration pollTimeout, int maxBufferedBytes) {
        this.connectionId = connectionId;
        this.vertx = vertx;
        this.pollTimeoutMillis = Math.max(1, pollTimeout.toMillis());
        this.maxBufferedBytes = maxBufferedBytes;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean hasInherentKeepAlive() {
        return true;
    }

    @Override
    public void send(EncodedFrame frame) {
        Poll answer = null;
        List<EncodedFrame> frames = null;
        boolean overflow = false;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queuedBytes + frame.bytes().length > maxBufferedBytes) {
                overflow = true;
            } else {
                queue.add(frame);
                queuedBytes += frame.bytes().length;
                if (held != null) {
                    answer = release();
                    frames = drain();
                }
            }
        }
        if (overflow) {
            LOG.infof("Closing connection %s: more than %d bytes are waiting for its Long Polling client",
                    connectionId, maxBufferedBytes);
            terminate();
        } else if (answer != null) {
            respond(answer, frames);
        }
    }

    /**
     * A poll arrived: answer it with what is queued, or hold it until there is something to send. The
     * first poll of a connection is answered at once, with nothing, whatever is queued: as in ASP.NET
     * Core, it only tells the client the transport is there (a client may have POSTed its handshake
     * before it, whose answer the next poll takes).
     */
    void poll(HttpServerResponse response) {
        Poll poll = new Poll(response);
        response.closeHandler(ignored -> abandoned(poll));
        Poll previous;
        List<EncodedFrame> frames = null;
        boolean over = false;
        boolean first = false;
        synchronized (this) {
            previous = release();
            if (!polled) {
                polled = true;
                first = true;
                idleSinceNanos = System.nanoTime();
            } else if (!queue.isEmpty()) {
                frames = drain();
            } else if (closed) {
                over = true;
            } else if (!poll.gone && !response.closed()) {
                held = poll;
                poll.timer = vertx.setTimer(pollTimeoutMillis, ignored -> timedOut(poll));
            }
        }
        if (previous != null) {
            // TransportProtocols.md: a new poll ends the existing one with 204.
            noContent(previous.response);
        }
        if (first) {
            if (writable(response)) {
                response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, BINARY).end();
            }
        } else if (frames != null) {
            respond(poll, frames);
        } else if (over) {
            noContent(response);
        }
    }

    /**
     * Ends the connection from the client's side (DELETE) or for being abandoned or too slow: queued
     * frames are dropped and a held poll is answered {@code 204}.
     */
    void terminate() {
        Poll answer;
        synchronized (this) {
            if (closed) {
                return;
            }
            markClosed();
            queue.clear();
            queuedBytes = 0;
            answer = release();
        }
        if (answer != null) {
            noContent(answer.response);
        }
        ended();
    }

    /** Ends the connection from the server's side; frames already queued (a Close message) are still delivered. */
    @Override
    public void close() {
        Poll answer;
        List<EncodedFrame> frames = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            markClosed();
            answer = release();
            if (answer != null && !queue.isEmpty()) {
                frames = drain();
            }
        }
        if (answer != null) {
            if (frames != null) {
                respond(answer, frames);
            } else {
                noContent(answer.response);
            }
        }
        ended();
    }

    /** True when the client has not polled for {@code timeoutNanos}: it went away without a DELETE. */
    synchronized boolean isAbandoned(long now, long timeoutNanos) {
        return !closed && held == null && now - idleSinceNanos > timeoutNanos;
    }

    @Override
    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    synchronized long nanosSinceClosed(long now) {
        return closed ? now - closedAtNanos : 0;
    }

    private void timedOut(Poll poll) {
        synchronized (this) {
            if (held != poll) {
                return;
            }
            poll.timer = -1;
            release();
        }
        empty(poll.response);
    }

    private void abandoned(Poll poll) {
        synchronized (this) {
            poll.gone = true;
            if (held == poll) {
                release();
            }
        }
    }

    private void markClosed() {
        closed = true;
        closedAtNanos = System.nanoTime();
    }

    /** Takes the held poll, if any, and starts the idle clock. Call with the lock held. */
    private Poll release() {
        Poll poll = held;
        if (poll != null) {
            held = null;
            if (poll.timer >= 0) {
                vertx.cancelTimer(poll.timer);
            }
            idleSinceNanos = System.nanoTime();
        }
        return poll;
    }

    /** Call with the lock held. */
    private List<EncodedFrame> drain() {
        List<EncodedFrame> frames = List.copyOf(queue);
        queue.clear();
        queuedBytes = 0;
        return frames;
    }

    private void respond(Poll poll, List<EncodedFrame> frames) {
        Buffer body = Buffer.buffer();
        boolean binary = false;
        for (EncodedFrame frame : frames) {
            body.appendBytes(frame.bytes());
            binary |= frame.format() == TransferFormat.BINARY;
        }
        HttpServerResponse response = poll.response;
        if (!writable(response)) {
            // The client left while the frames were on their way to it: they are lost, as with any transport.
            LOG.debugf("A poll of connection %s ended before %d frames could be written", connectionId, frames.size());
            return;
        }
        response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, binary ? BINARY : TEXT).end(body);
    }

    private static void empty(HttpServerResponse response) {
        if (writable(response)) {
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end();
        }
    }

    private static void noContent(HttpServerResponse response) {
        if (writable(response)) {
            response.setStatusCode(204).putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end();
        }
    }

    private static boolean writable(HttpServerResponse response) {
        return !response.ended() && !response.closed();
    }
}
