package io.switchboard.chat;

import io.switchboard.signalr.redis.RedisScript;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who is in which workflow, over every replica, in Redis (docs/architecture.md "Presence"). Each
 * replica records the people it holds in a workflow under its server id, and says it is alive with a
 * heartbeat (a score in one sorted set, Redis's own clock). A replica whose heartbeat is older than
 * the timeout is dead: readers ignore its entries at once, and the first replica to sweep it removes
 * them and announces the people who left with it. Every step is one Lua script, so two replicas never
 * see half of another's change. Blocking: call from a worker thread.
 *
 * <p>Keys, under the deployment's prefix: {@code presence:servers} (server id → last heartbeat, ms),
 * {@code presence:server:<id>} (the groups where that server has entries), and per workflow group
 * {@code presence:members:<group>} (server id + user id → display name) and
 * {@code presence:people:<group>} (user id → how many servers hold them there).
 */
final class RedisPresence {

    /** A server id is a UUID: its 36 characters start every member field. */
    static final int SERVER_ID_LENGTH = 36;

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    // KEYS: members, people, server's groups. ARGV: server id, user id, display name, bound, group.
    // 1: the person's first entry in the workflow on any replica; 0: already there; -1: workflow full.
    private static final String ENTER = """
            local field = ARGV[1] .. ARGV[2]
            if redis.call('HEXISTS', KEYS[1], field) == 1 then return 0 end
            if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return -1 end
            redis.call('HSET', KEYS[1], field, ARGV[3])
            redis.call('SADD', KEYS[3], ARGV[5])
            if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then return 1 end
            return 0
            """;

    // KEYS: members, people, server's groups. ARGV: server id, user id, group, '1' when this server
    // holds nobody else in the group. 1: the person's last entry in the workflow on any replica.
    private static final String LEAVE = """
            if ARGV[4] == '1' then redis.call('SREM', KEYS[3], ARGV[3]) end
            if redis.call('HDEL', KEYS[1], ARGV[1] .. ARGV[2]) == 0 then return 0 end
            if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
              redis.call('HDEL', KEYS[2], ARGV[2])
              return 1
            end
            return 0
            """;

    // KEYS: servers. ARGV: server id. 1 when the server was not listed: new, or swept as dead.
    private static final String HEARTBEAT = NOW + "return redis.call('ZADD', KEYS[1], now, ARGV[1])";

    // KEYS: servers, members. ARGV: timeout in ms. The people with an entry of a live server, each once.
    private static final String MEMBERS = NOW + """
            local entries = redis.call('HGETALL', KEYS[2])
            local alive, seen, out = {}, {}, {}
            for i = 1, #entries, 2 do
              local server = string.sub(entries[i], 1, 36)
              if alive[server] == nil then
                local score = redis.call('ZSCORE', KEYS[1], server)
                alive[server] = score ~= false and score ~= nil and tonumber(score) > now - tonumber(ARGV[1])
              end
              local user = string.sub(entries[i], 37)
              if alive[server] and not seen[user] then
                seen[user] = true
                table.insert(out, user)
                table.insert(out, entries[i + 1])
              end
            end
            return out
            """;

    // KEYS: servers. ARGV: timeout in ms, key prefix. Takes one dead server off the list (only one
    // replica can) and removes its entries: {} when none is dead, else {server, then group, user id,
    // display name of each person who was in the group on no other server}.
    private static final String SWEEP = NOW + """
            local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]), 'LIMIT', 0, 1)
            if #dead == 0 then return {} end
            local server = dead[1]
            redis.call('ZREM', KEYS[1], server)
            local out = {server}
            local groupsKey = ARGV[2] .. 'server:' .. server
            for _, group in ipairs(redis.call('SMEMBERS', groupsKey)) do
              local members = ARGV[2] .. 'members:' .. group
              local people = ARGV[2] .. 'people:' .. group
              local entries = redis.call('HGETALL', members)
              for i = 1, #entries, 2 do
                if string.sub(entries[i], 1, 36) == server then
                  local user = string.sub(entries[i], 37)
                  redis.call('HDEL', members, entries[i])
                  if redis.call('HINCRBY', people, user, -1) <= 0 then
                    redis.call('HDEL', people, user)
                    table.insert(out, group)
                    table.insert(out, user)
                    table.insert(out, entries[i + 1])
                  end
                end
              end
            end
            redis.call('DEL', groupsKey)
            return out
            """;

    /** The scripts above, each sent to Redis by its SHA-1. */
    private static final class Scripts {
        static final RedisScript ENTER = new RedisScript(RedisPresence.ENTER);
        static final RedisScript LEAVE = new RedisScript(RedisPresence.LEAVE);
        static final RedisScript HEARTBEAT = new RedisScript(RedisPresence.HEARTBEAT);
        static final RedisScript MEMBERS = new RedisScript(RedisPresence.MEMBERS);
        static final RedisScript SWEEP = new RedisScript(RedisPresence.SWEEP);
    }

    /** A person seen in a group (a workflow's group name). */
    record Seen(String group, String userId, String displayName) {
    }

    /** What a sweep found: the dead server, and the people who left with it. */
    record Swept(String serverId, List<Seen> gone) {
    }

    private final Redis redis;
    private final String prefix;
    private final String serverId;
    private final Duration timeout;
    private final Duration commandTimeout;

    RedisPresence(Redis redis, String keyPrefix, String serverId, Duration timeout, Duration commandTimeout) {
        if (serverId.length() != SERVER_ID_LENGTH) {
            throw new IllegalArgumentException("A server id is a UUID");
        }
        this.redis = redis;
        this.prefix = keyPrefix + "presence:";
        this.serverId = serverId;
        this.timeout = timeout;
        this.commandTimeout = commandTimeout;
    }

    /** Records this server's entry; true when the person was in the group on no replica before. */
    boolean enter(String group, String userId, String displayName, int bound) {
        long result = eval(Scripts.ENTER, List.of(members(group), people(group), serverGroups()),
                List.of(serverId, userId, displayName, String.valueOf(bound), group)).toLong();
        return result == 1;
    }

    /** Removes this server's entry; true when the person is now in the group on no replica. */
    boolean leave(String group, String userId, boolean lastHere) {
        return eval(Scripts.LEAVE, List.of(members(group), people(group), serverGroups()),
                List.of(serverId, userId, group, lastHere ? "1" : "0")).toLong() == 1;
    }

    /** Says this server is alive; true when it had been taken for dead (or is new), so its entries are gone. */
    boolean heartbeat() {
        return eval(Scripts.HEARTBEAT, List.of(servers()), List.of(serverId)).toLong() == 1;
    }

    /** The people in the group on live servers, each once. */
    List<Seen> members(String group, int bound) {
        Response answer = eval(Scripts.MEMBERS, List.of(servers(), members(group)), List.of(String.valueOf(timeout.toMillis())));
        List<Seen> seen = new ArrayList<>();
        for (int i = 0; i + 1 < answer.size() && seen.size() < bound; i += 2) {
            seen.add(new Seen(group, answer.get(i).toString(), answer.get(i + 1).toString()));
        }
        return seen;
    }

    /** Sweeps one dead server, if there is one. */
    java.util.Optional<Swept> sweepOne() {
        Response answer = eval(Scripts.SWEEP, List.of(servers()), List.of(String.valueOf(timeout.toMillis()), prefix));
        if (answer.size() == 0) {
            return java.util.Optional.empty();
        }
        List<Seen> gone = new ArrayList<>();
        for (int i = 1; i + 2 < answer.size(); i += 3) {
            gone.add(new Seen(answer.get(i).toString(), answer.get(i + 1).toString(), answer.get(i + 2).toString()));
        }
        return java.util.Optional.of(new Swept(answer.get(0).toString(), gone));
    }

    private String servers() {
        return prefix + "servers";
    }

    private String serverGroups() {
        return prefix + "server:" + serverId;
    }

    private String members(String group) {
        return prefix + "members:" + group;
    }

    private String people(String group) {
        return prefix + "people:" + group;
    }

    private Response eval(RedisScript script, List<String> keys, List<String> arguments) {
        try {
            return script.run(redis, keys, arguments).toCompletionStage().toCompletableFuture()
                    .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PresenceUnavailable(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new PresenceUnavailable(e instanceof ExecutionException ? e.getCause() : e);
        }
    }

    /** Redis did not answer (in time). */
    static final class PresenceUnavailable extends RuntimeException {
        PresenceUnavailable(Throwable cause) {
            super("Redis did not answer a presence command: " + cause.getMessage(), cause);
        }
    }
}
