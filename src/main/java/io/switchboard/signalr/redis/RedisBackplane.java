package io.switchboard.signalr.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The replica's link to Redis pub/sub: one dedicated subscriber connection whose channels change as
 * connections and groups come and go (like StackExchange.Redis's multiplexer in ASP.NET Core), and
 * a publisher with a connection of its own ({@link RedisPublisher}). When Redis goes away it keeps retrying by itself, logs the
 * outage once, and on return resubscribes every channel and tells its reconnect listeners.
 */
public final class RedisBackplane implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisBackplane.class);

    private final Vertx vertx;
    private final Redis client;
    private final Duration retryInterval;
    private final RedisPublisher publisher;
    private final Counter received;
    /** A subscribed channel's handler and how many subscribers want it. */
    private record Subscription(Consumer<byte[]> handler, int count) {
    }

    /** A subscription never waits longer than this for Redis (a silent network must not hang joins). */
    static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(2);

    // Read without locking by the message handler; changed only under this object's lock.
    private final ConcurrentMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    private volatile RedisConnection subscriber;
    private volatile boolean up;
    private volatile boolean closed;
    private boolean everConnected;
    private boolean outageLogged;

    /**
     * @param publishBuffer   envelopes kept while Redis is unreachable ({@link RedisConfig#publishBuffer()})
     * @param publishPipeline envelopes sent ahead of Redis's answers ({@link RedisConfig#publishPipeline()})
     */
    public RedisBackplane(Vertx vertx, Redis client, Duration retryInterval, int publishBuffer, int publishPipeline,
                          MeterRegistry metrics) {
        this.vertx = vertx;
        this.client = client;
        this.retryInterval = retryInterval;
        this.publisher = new RedisPublisher(vertx, client, retryInterval, publishBuffer, publishPipeline, metrics);
        this.received = Counter.builder("signalr.backplane.received")
                .description("Envelopes received from Redis (from any replica)").register(metrics);
    }

    public void start() {
        publisher.start();
        connect();
    }

    /** True while the subscriber connection is established and subscribed. */
    public boolean isUp() {
        return up;
    }

    /**
     * Runs after every reconnection that follows an outage, the first connection included when Redis
     * was away at start (not after a first connection that succeeded at once).
     */
    public void onReconnected(Runnable listener) {
        reconnectListeners.add(listener);
    }

    /**
     * Delivers messages of {@code channel} to {@code handler}; one handler per channel, counted: every
     * subscribe needs its unsubscribe, and Redis is unsubscribed when the last one is gone, whatever
     * order racing callers arrive in. Completes when Redis confirmed the subscription (so a publish
     * that follows is received), at the latest after {@link #SUBSCRIBE_TIMEOUT}; while Redis is down
     * it completes at once and the channel is subscribed on reconnection.
     */
    public CompletionStage<Void> subscribe(String channel, Consumer<byte[]> handler) {
        RedisConnection connection;
        Future<Response> sent;
        synchronized (this) {
            Subscription current = subscriptions.get(channel);
            subscriptions.put(channel, new Subscription(handler, current == null ? 1 : current.count() + 1));
            connection = subscriber;
            if (current != null || connection == null) {
                return CompletableFuture.completedFuture(null);
            }
            // Sent under the lock: SUBSCRIBE and UNSUBSCRIBE of a channel reach Redis in decision order.
            sent = connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel));
        }
        return sent.<Void>mapEmpty()
                .recover(e -> {
                    lost(connection, e);
                    return Future.succeededFuture();
                })
                .toCompletionStage().toCompletableFuture()
                .completeOnTimeout(null, SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void unsubscribe(String channel) {
        synchronized (this) {
            Subscription current = subscriptions.get(channel);
            if (current == null) {
                return;
            }
            if (current.count() > 1) {
                subscriptions.put(channel, new Subscription(current.handler(), current.count() - 1));
                return;
            }
            subscriptions.remove(channel);
            RedisConnection connection = subscriber;
            if (connection != null) {
                connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel));
            }
        }
    }

    /**
     * Sends {@code payload} to every replica subscribed to {@code channel}, in publish order, over the
     * publisher's own connection; see {@link RedisPublisher} for what happens while Redis is away.
     */
    public CompletionStage<Void> publish(String channel, byte[] payload) {
        return publisher.publish(channel, payload);
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connect().onSuccess(connection -> {
            connection.handler(this::onPush);
            connection.exceptionHandler(e -> lost(connection, e));
            connection.endHandler(ignored -> lost(connection, null));
            Set<String> channels;
            synchronized (this) {
                // Published with the snapshot: a racing subscribe either sees the connection or is in the snapshot.
                subscriber = connection;
                channels = Set.copyOf(subscriptions.keySet());
            }
            Future<?> subscribed = channels.isEmpty() ? Future.succeededFuture() : connection.send(subscribeAll(channels));
            subscribed.onSuccess(ignored -> connected()).onFailure(e -> lost(connection, e));
        }).onFailure(e -> {
            down(e);
            retryLater();
        });
    }

    private static Request subscribeAll(Set<String> channels) {
        Request request = Request.cmd(Command.SUBSCRIBE);
        channels.forEach(request::arg);
        return request;
    }

    private synchronized void connected() {
        // After an outage; or a first connection that came late because Redis was away when this replica
        // started: it may have served clients meanwhile, and what was published before now never reached them.
        boolean reconnect = everConnected || outageLogged;
        everConnected = true;
        up = true;
        if (reconnect) {
            LOG.infof("Redis backplane is back; resubscribed %d channel(s)", subscriptions.size());
            outageLogged = false;
            reconnectListeners.forEach(Runnable::run);
        }
    }

    private void lost(RedisConnection connection, Throwable cause) {
        synchronized (this) {
            if (closed || subscriber != connection) {
                return;
            }
            subscriber = null;
        }
        connection.close();
        down(cause);
        retryLater();
    }

    private synchronized void down(Throwable cause) {
        up = false;
        if (!outageLogged) {
            outageLogged = true;
            LOG.warnf("Redis backplane is down (%s); local delivery continues, retrying every %s",
                    cause == null ? "connection closed" : cause.getMessage(), retryInterval);
        }
    }

    private void retryLater() {
        if (!closed) {
            vertx.setTimer(retryInterval.toMillis(), id -> connect());
        }
    }

    private void onPush(Response push) {
        // RESP2 delivers ["message", channel, payload]; RESP3 the same as a push frame.
        if (push.size() < 3 || !"message".equals(push.get(0).toString())) {
            return;
        }
        Subscription subscription = subscriptions.get(push.get(1).toString());
        if (subscription != null) {
            received.increment();
            subscription.handler().accept(push.get(2).toBytes());
        }
    }

    @Override
    public void close() {
        closed = true;
        publisher.close();
        RedisConnection connection = subscriber;
        subscriber = null;
        up = false;
        if (connection != null) {
            connection.close();
        }
    }
}
