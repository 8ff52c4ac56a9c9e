package io.switchboard.cluster;

import io.switchboard.signalr.redis.Backplane;
import io.switchboard.signalr.redis.RedisConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Application messages that every replica must hear (a revoked key, a decision an MCP agent waits
 * for), over the same Redis link as the hubs' backplane, on channels of their own:
 * {@code <prefix>app:<topic>}. Without Redis the replica is alone and a message is handed to its own
 * listener. A topic has one listener per replica, registered at start; every replica, the publishing
 * one included, receives each message once, in publish order.
 */
@ApplicationScoped
public class ClusterTopics {

    private final Backplane backplane;
    private final String prefix;
    private final Vertx vertx;
    private final Map<String, Consumer<byte[]>> localListeners = new ConcurrentHashMap<>();

    ClusterTopics(Backplane backplane, RedisConfig config, Vertx vertx) {
        this.backplane = backplane;
        this.prefix = config.keyPrefix() + "app:";
        this.vertx = vertx;
    }

    /**
     * Registers this replica's listener of {@code topic}; completes once Redis confirmed the
     * subscription, so that what is published after it is received.
     */
    public CompletionStage<Void> listen(String topic, Consumer<byte[]> listener) {
        return backplane.redis()
                .map(redis -> redis.subscribe(prefix + topic, listener))
                .orElseGet(() -> {
                    localListeners.put(topic, listener);
                    return CompletableFuture.completedFuture(null);
                });
    }

    /** Sends {@code message} to every replica's listener of {@code topic}; completes when Redis took it. */
    public CompletionStage<Void> publish(String topic, byte[] message) {
        return backplane.redis()
                .map(redis -> redis.publish(prefix + topic, message))
                .orElseGet(() -> {
                    Consumer<byte[]> listener = localListeners.get(topic);
                    if (listener != null) {
                        // As from Redis: on an event loop, never inside the publisher's call (or transaction).
                        Context context = vertx.getOrCreateContext();
                        context.runOnContext(ignored -> listener.accept(message));
                    }
                    return CompletableFuture.completedFuture(null);
                });
    }

    /** True when what is published now reaches every replica (Redis is up, or there is no other replica). */
    public boolean reachesEveryReplica() {
        return backplane.isConnected();
    }
}
