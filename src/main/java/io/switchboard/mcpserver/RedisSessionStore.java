package io.switchboard.mcpserver;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Sessions in Redis, each a string key that expires when the session has been idle too long
 * ({@code <prefix>mcp:session:<id>}, read with {@code GETEX} so that every request restarts the
 * clock), and the subscribers of each change in a set ({@code <prefix>mcp:subscribers:<changeId>}).
 */
final class RedisSessionStore implements SessionStore {

    /** A subscription outlives any change it can be for: changes expire after at most 30 days. */
    private static final long SUBSCRIPTION_SECONDS = Duration.ofDays(31).toSeconds();
    /** After a decision its subscribers are kept this long, for an announcement repeated meanwhile. */
    private static final long DECIDED_SUBSCRIPTION_SECONDS = 120;
    private static final Command GETEX = Command.create("getex");

    private final Redis redis;
    private final String prefix;

    RedisSessionStore(Redis redis, String keyPrefix) {
        this.redis = redis;
        this.prefix = keyPrefix + "mcp:";
    }

    @Override
    public Future<Void> create(McpSession session, Duration idleTimeout) {
        return redis.send(Request.cmd(Command.SET).arg(sessionKey(session.id())).arg(session.encode())
                .arg("EX").arg(idleTimeout.toSeconds())).mapEmpty();
    }

    @Override
    public Future<Optional<McpSession>> touch(String sessionId, Duration idleTimeout) {
        return redis.send(Request.cmd(GETEX).arg(sessionKey(sessionId)).arg("EX").arg(idleTimeout.toSeconds()))
                .map(stored -> stored == null ? Optional.<McpSession>empty()
                        : Optional.of(McpSession.decode(sessionId, stored.toString())));
    }

    @Override
    public Future<Void> end(String sessionId) {
        return redis.send(Request.cmd(Command.DEL).arg(sessionKey(sessionId))).mapEmpty();
    }

    @Override
    public Future<Void> subscribe(String sessionId, String changeId) {
        String key = subscribersKey(changeId);
        return redis.batch(java.util.List.of(
                Request.cmd(Command.SADD).arg(key).arg(sessionId),
                Request.cmd(Command.EXPIRE).arg(key).arg(SUBSCRIPTION_SECONDS))).mapEmpty();
    }

    @Override
    public Future<Void> unsubscribe(String sessionId, String changeId) {
        return redis.send(Request.cmd(Command.SREM).arg(subscribersKey(changeId)).arg(sessionId)).mapEmpty();
    }

    @Override
    public Future<Set<String>> subscribersOfDecided(String changeId) {
        String key = subscribersKey(changeId);
        return redis.batch(java.util.List.of(
                        Request.cmd(Command.SMEMBERS).arg(key),
                        Request.cmd(Command.EXPIRE).arg(key).arg(DECIDED_SUBSCRIPTION_SECONDS)))
                .map(answers -> {
                    Set<String> sessions = new HashSet<>();
                    Response members = answers.get(0);
                    if (members != null) {
                        members.forEach(member -> sessions.add(member.toString()));
                    }
                    return sessions;
                });
    }

    private String sessionKey(String sessionId) {
        return prefix + "session:" + sessionId;
    }

    private String subscribersKey(String changeId) {
        return prefix + "subscribers:" + changeId;
    }
}
