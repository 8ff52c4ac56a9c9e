package io.switchboard.signalr.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Publishes backplane envelopes over one long-lived, pipelined Redis connection (as ASP.NET Core's
 * Redis backplane uses one multiplexed connection), never borrowing a pooled connection per message,
 * so a burst cannot exhaust a pool and lose envelopes.
 *
 * <p>Envelopes go out in the order they were published. Up to {@code maxInFlight} wait for Redis's
 * answer at a time; the rest wait in a buffer of {@code capacity} envelopes. When the connection
 * fails, every envelope Redis has not confirmed goes back to the front of the buffer, in order, and is
 * sent again once a new connection is up: delivery is at least once (an envelope whose confirmation
 * was lost may arrive twice). Only when Redis stays away long enough for the buffer to fill are new
 * envelopes refused, each counted as dropped.
 */
final class RedisPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisPublisher.class);

    private record Envelope(String channel, byte[] payload, long publishedAtNanos, CompletableFuture<Void> sent) {
    }

    private final Vertx vertx;
    private final Redis client;
    private final Duration retryInterval;
    private final int capacity;
    private final int maxInFlight;
    private final ArrayDeque<Envelope> waiting = new ArrayDeque<>();
    private final ArrayDeque<Envelope> inFlight = new ArrayDeque<>();
    private final Counter published;
    private final Counter failed;
    private final Counter dropped;
    private final Timer lag;
    // Every send and connect runs on this one event-loop context, so envelopes reach the socket in the
    // order they were taken from the buffer, whichever thread published them.
    private Context context;
    // All guarded by this.
    private boolean sendScheduled;
    private RedisConnection connection;
    private boolean closed;
    private boolean outageLogged;
    private boolean dropLogged;

    RedisPublisher(Vertx vertx, Redis client, Duration retryInterval, int capacity, int maxInFlight,
                   MeterRegistry metrics) {
        this.vertx = vertx;
        this.client = client;
        this.retryInterval = retryInterval;
        this.capacity = capacity;
        this.maxInFlight = maxInFlight;
        this.published = Counter.builder("signalr.backplane.published")
                .description("Envelopes Redis confirmed as published").register(metrics);
        this.failed = Counter.builder("signalr.backplane.failed")
                .description("Publish attempts that failed (the envelope is sent again)").register(metrics);
        this.dropped = Counter.builder("signalr.backplane.dropped")
                .description("Envelopes refused because Redis stayed away until the publish buffer was full")
                .register(metrics);
        this.lag = Timer.builder("signalr.backplane.lag")
                .description("From publishing an envelope to Redis confirming it").publishPercentileHistogram()
                .register(metrics);
        Gauge.builder("signalr.backplane.pending", this, RedisPublisher::pending)
                .description("Envelopes waiting for Redis (buffered or unconfirmed)").register(metrics);
    }

    void start() {
        context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> connect());
    }

    /** Completes once Redis confirmed the envelope; fails only when it was dropped (buffer full, or closing). */
    CompletionStage<Void> publish(String channel, byte[] payload) {
        Envelope envelope = new Envelope(channel, payload, System.nanoTime(), new CompletableFuture<>());
        synchronized (this) {
            if (closed || waiting.size() + inFlight.size() >= capacity) {
                refuse(envelope);
                return envelope.sent();
            }
            waiting.add(envelope);
            if (connection == null || sendScheduled || inFlight.size() >= maxInFlight) {
                return envelope.sent(); // sent when the connection is up, or by the run already scheduled
            }
            sendScheduled = true;
        }
        context.runOnContext(ignored -> {
            synchronized (this) {
                sendScheduled = false;
                sendWhatFits();
            }
        });
        return envelope.sent();
    }

    synchronized int pending() {
        return waiting.size() + inFlight.size();
    }

    // Called on the context with the lock held.
    private void sendWhatFits() {
        RedisConnection current = connection;
        while (current != null && inFlight.size() < maxInFlight && !waiting.isEmpty()) {
            Envelope envelope = waiting.poll();
            inFlight.add(envelope);
            current.send(Request.cmd(Command.PUBLISH).arg(envelope.channel()).arg(Buffer.buffer(envelope.payload())))
                    .onComplete(result -> answered(current, envelope, result));
        }
    }

    private void answered(RedisConnection on, Envelope envelope, AsyncResult<Response> result) {
        if (result.failed()) {
            failed.increment();
            lost(on, result.cause());
            return;
        }
        synchronized (this) {
            if (!inFlight.remove(envelope)) {
                return; // confirmed late, after being put back for resending: the resend counts
            }
            sendWhatFits();
        }
        published.increment();
        lag.record(System.nanoTime() - envelope.publishedAtNanos(), TimeUnit.NANOSECONDS);
        envelope.sent().complete(null);
    }

    private void refuse(Envelope envelope) {
        dropped.increment();
        if (!dropLogged) {
            dropLogged = true;
            LOG.errorf("Redis backplane publish buffer is full (%d envelopes): envelopes are dropped until Redis "
                    + "is back; other replicas miss them", capacity);
        }
        envelope.sent().completeExceptionally(new IllegalStateException("The backplane publish buffer is full"));
    }

    private void connect() {
        synchronized (this) {
            if (closed) {
                return; // a retry scheduled before the close: the client may be gone by now (shutdown)
            }
        }
        client.connect().onSuccess(opened -> {
            opened.exceptionHandler(e -> lost(opened, e));
            opened.endHandler(ignored -> lost(opened, null));
            boolean wasDown;
            synchronized (this) {
                if (closed) {
                    opened.close();
                    return;
                }
                connection = opened;
                wasDown = outageLogged;
                outageLogged = false;
                dropLogged = false;
                sendWhatFits();
            }
            if (wasDown) {
                LOG.infof("Redis backplane publisher is back; sending %d waiting envelope(s)", pending());
            }
        }).onFailure(e -> {
            down(e);
            retryLater();
        });
    }

    private void lost(RedisConnection failedConnection, Throwable cause) {
        synchronized (this) {
            if (connection != failedConnection) {
                return;
            }
            connection = null;
            // Unconfirmed envelopes go back to the front, in their order, to be sent again.
            while (!inFlight.isEmpty()) {
                waiting.addFirst(inFlight.pollLast());
            }
        }
        failedConnection.close();
        down(cause);
        retryLater();
    }

    private void down(Throwable cause) {
        synchronized (this) {
            if (outageLogged || closed) {
                return;
            }
            outageLogged = true;
        }
        LOG.warnf("Redis backplane publisher lost Redis (%s); envelopes wait (up to %d) and are sent when it is back",
                cause == null ? "connection closed" : cause.getMessage(), capacity);
    }

    private void retryLater() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        vertx.setTimer(retryInterval.toMillis(), id -> context.runOnContext(ignored -> connect()));
    }

    @Override
    public void close() {
        RedisConnection current;
        synchronized (this) {
            closed = true;
            current = connection;
            connection = null;
        }
        if (current != null) {
            current.close();
        }
    }
}
