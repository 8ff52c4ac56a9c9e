package io.switchboard.signalr.redis;

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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The replica's link to Redis pub/sub: one dedicated subscriber connection whose channels change as
 * connections and groups come and go (like StackExchange.Redis's multiplexer in ASP.NET Core), and
 * publishes through the pooled client. When Redis goes away it keeps retrying by itself, logs the
 * outage once, and on return resubscribes every channel and tells its reconnect listeners.
 */
public final class RedisBackplane implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisBackplane.class);

    private final Vertx vertx;
    private final Redis client;
    private final Duration retryInterval;
    private final ConcurrentMap<String, Consumer<byte[]>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    private volatile RedisConnection subscriber;
    private volatile boolean up;
    private volatile boolean closed;
    private volatile boolean publishFailing;
    private boolean everConnected;
    private boolean outageLogged;

    public RedisBackplane(Vertx vertx, Redis client, Duration retryInterval) {
        this.vertx = vertx;
        this.client = client;
        this.retryInterval = retryInterval;
    }

    public void start() {
        connect();
    }

    /** True while the subscriber connection is established and subscribed. */
    public boolean isUp() {
        return up;
    }

    /** Runs after every reconnection that follows an outage (not after the first connection). */
    public void onReconnected(Runnable listener) {
        reconnectListeners.add(listener);
    }

    /**
     * Delivers messages of {@code channel} to {@code handler}; one handler per channel. Completes when
     * Redis confirmed the subscription, so a publish that follows is received; while Redis is down it
     * completes at once (the channel is subscribed on reconnection).
     */
    public CompletionStage<Void> subscribe(String channel, Consumer<byte[]> handler) {
        if (handlers.put(channel, handler) == null) {
            RedisConnection connection = subscriber;
            if (connection != null) {
                return connection.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                        .<Void>mapEmpty()
                        .recover(e -> {
                            lost(connection, e);
                            return Future.succeededFuture();
                        })
                        .toCompletionStage();
            }
        }
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    public void unsubscribe(String channel) {
        if (handlers.remove(channel) != null) {
            RedisConnection connection = subscriber;
            if (connection != null) {
                connection.send(Request.cmd(Command.UNSUBSCRIBE).arg(channel));
            }
        }
    }

    public CompletionStage<Void> publish(String channel, byte[] payload) {
        return client.send(Request.cmd(Command.PUBLISH).arg(channel).arg(Buffer.buffer(payload)))
                .<Void>map(ignored -> {
                    publishFailing = false;
                    return null;
                })
                .onFailure(e -> {
                    if (!publishFailing) {
                        publishFailing = true;
                        LOG.warnf("Publishing to Redis failed (%s); local delivery continues", e.getMessage());
                    }
                })
                .toCompletionStage();
    }

    private void connect() {
        if (closed) {
            return;
        }
        client.connect().onSuccess(connection -> {
            connection.handler(this::onPush);
            connection.exceptionHandler(e -> lost(connection, e));
            connection.endHandler(ignored -> lost(connection, null));
            // Published before the snapshot: a subscribe racing this either sees the connection or is in the snapshot.
            subscriber = connection;
            Set<String> channels = Set.copyOf(handlers.keySet());
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
        boolean reconnect = everConnected;
        everConnected = true;
        up = true;
        if (reconnect) {
            LOG.infof("Redis backplane is back; resubscribed %d channel(s)", handlers.size());
            outageLogged = false;
            reconnectListeners.forEach(Runnable::run);
        }
    }

    private void lost(RedisConnection connection, Throwable cause) {
        if (closed || subscriber != connection) {
            return;
        }
        subscriber = null;
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
        Consumer<byte[]> handler = handlers.get(push.get(1).toString());
        if (handler != null) {
            handler.accept(push.get(2).toBytes());
        }
    }

    @Override
    public void close() {
        closed = true;
        RedisConnection connection = subscriber;
        subscriber = null;
        up = false;
        if (connection != null) {
            connection.close();
        }
    }
}
