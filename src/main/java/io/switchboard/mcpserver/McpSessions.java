package io.switchboard.mcpserver;

import io.switchboard.signalr.redis.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The MCP sessions of every replica: created at {@code initialize}, found again by any replica,
 * owned by one API key, ended by {@code DELETE} or by idleness ({@link McpConfig#sessionIdleTimeout()}).
 * Kept in Redis when replicas coordinate through it, else in this replica's memory.
 */
@ApplicationScoped
class McpSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionStore store;
    private final McpConfig config;

    McpSessions(@ConfigProperty(name = "quarkus.redis.hosts") Optional<String> hosts, Instance<Redis> redis,
                RedisConfig redisConfig, McpConfig config, Vertx vertx) {
        this.config = config;
        if (hosts.isPresent()) {
            store = new RedisSessionStore(redis.get(), redisConfig.keyPrefix());
        } else {
            LocalSessionStore local = new LocalSessionStore();
            vertx.setPeriodic(60_000, timer -> local.sweep());
            store = local;
        }
    }

    Future<McpSession> create(String keyId, String tenantId, String protocolVersion) {
        // 128 random bits: visible ASCII, as the transport requires, and not guessable.
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        McpSession session = new McpSession(HexFormat.of().formatHex(bytes), keyId, tenantId, protocolVersion);
        return store.create(session, config.sessionIdleTimeout()).map(session);
    }

    /** The session of {@code keyId}; empty when it is unknown, ended, idle too long or another key's. */
    Future<Optional<McpSession>> find(String sessionId, String keyId) {
        if (!isWellFormed(sessionId)) {
            return Future.succeededFuture(Optional.empty());
        }
        return store.touch(sessionId, config.sessionIdleTimeout())
                .map(found -> found.filter(session -> session.keyId().equals(keyId)));
    }

    Future<Void> end(String sessionId) {
        return store.end(sessionId);
    }

    Future<Void> subscribe(String sessionId, String changeId) {
        return store.subscribe(sessionId, changeId);
    }

    Future<Void> unsubscribe(String sessionId, String changeId) {
        return store.unsubscribe(sessionId, changeId);
    }

    Future<Set<String>> subscribersOfDecided(String changeId) {
        return store.subscribersOfDecided(changeId);
    }

    private static boolean isWellFormed(String sessionId) {
        return sessionId != null && sessionId.length() == 32 && sessionId.chars().allMatch(
                c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
