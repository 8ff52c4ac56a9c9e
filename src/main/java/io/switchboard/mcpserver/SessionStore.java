package io.switchboard.mcpserver;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Where MCP sessions and their resource subscriptions live, so that any replica serves any session:
 * Redis when replicas coordinate through it ({@link RedisSessionStore}), this replica's memory when it
 * runs alone ({@link LocalSessionStore}). Every operation is non-blocking.
 */
interface SessionStore {

    Future<Void> create(McpSession session, Duration idleTimeout);

    /** The session, its idle time restarted; empty when it is unknown, ended or idle too long. */
    Future<Optional<McpSession>> touch(String sessionId, Duration idleTimeout);

    Future<Void> end(String sessionId);

    /** Records that the session wants {@code notifications/resources/updated} for the change. */
    Future<Void> subscribe(String sessionId, String changeId);

    Future<Void> unsubscribe(String sessionId, String changeId);

    /** The sessions subscribed to the change; they are forgotten shortly after (it was decided). */
    Future<Set<String>> subscribersOfDecided(String changeId);
}
