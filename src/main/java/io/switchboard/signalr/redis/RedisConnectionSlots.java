package io.switchboard.signalr.redis;

import io.switchboard.signalr.server.ConnectionSlots;
import io.switchboard.signalr.server.LocalConnectionSlots;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * {@link ConnectionSlots} shared by every replica: each user's slots are a sorted set
 * ({@code <prefix>slots:<user>}) of connection ids scored by when their lease ends, on Redis's clock.
 * One script drops lapsed leases, counts and adds, so two replicas taking the last slot at once cannot
 * both get it. While Redis cannot be reached the replica counts on its own ({@link LocalConnectionSlots}),
 * so a cap then holds per replica, and outages never refuse anyone.
 */
public final class RedisConnectionSlots implements ConnectionSlots {

    private static final Logger LOG = Logger.getLogger(RedisConnectionSlots.class);

    /** A take waits no longer than this for Redis before counting locally. */
    static final Duration TAKE_TIMEOUT = Duration.ofSeconds(2);
    /** Connection ids per renewal script call, well below Lua's stack limit for unpack. */
    private static final int RENEW_BATCH = 500;

    // KEYS[1] the user's set; ARGV: connection id, cap, lease in ms.
    private static final RedisScript TAKE = new RedisScript("""
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
            return 1
            """);

    // KEYS[1] the user's set; ARGV: lease in ms, then connection ids. Ids missing are added back: after
    // Redis restarted, or counted locally during an outage, open connections count again from the next
    // renewal on (a connection that closes at the moment of a renewal may be held until its lease lapses).
    private static final RedisScript RENEW = new RedisScript("""
            local t = redis.call('TIME')
            local lease = tonumber(ARGV[1])
            local ends = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + lease
            local pairs = {}
            for i = 2, #ARGV do
              pairs[#pairs + 1] = ends
              pairs[#pairs + 1] = ARGV[i]
            end
            redis.call('ZADD', KEYS[1], unpack(pairs))
            redis.call('PEXPIRE', KEYS[1], lease)
            return 1
            """);

    private final Redis redis;
    private final String prefix;
    private final long leaseMillis;
    private final LocalConnectionSlots duringOutages;

    public RedisConnectionSlots(Redis redis, String keyPrefix, Duration lease) {
        this.redis = redis;
        this.prefix = keyPrefix + "slots:";
        this.leaseMillis = lease.toMillis();
        this.duringOutages = new LocalConnectionSlots(lease);
    }

    @Override
    public CompletionStage<Boolean> take(String userKey, String connectionId, int cap) {
        Future<Boolean> taken = TAKE.run(redis, List.of(key(userKey)), List.of(connectionId, cap, leaseMillis))
                .map(answer -> answer.toInteger() == 1);
        return taken.toCompletionStage().toCompletableFuture()
                .orTimeout(TAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(unreachable -> {
                    LOG.debugf("Redis could not count connection %s; counting on this replica: %s", connectionId,
                            unreachable.toString());
                    return duringOutages.takeNow(userKey, connectionId, cap);
                });
    }

    @Override
    public void release(String userKey, String connectionId) {
        duringOutages.release(userKey, connectionId);
        redis.send(Request.cmd(Command.ZREM).arg(key(userKey)).arg(connectionId))
                .onFailure(e -> LOG.debugf("Redis did not take back slot %s (its lease lapses): %s", connectionId,
                        e.toString()));
    }

    @Override
    public void renew(Map<String, List<String>> connectionIdsByUser) {
        duringOutages.renew(connectionIdsByUser);
        connectionIdsByUser.forEach((userKey, ids) -> {
            for (int from = 0; from < ids.size(); from += RENEW_BATCH) {
                List<Object> arguments = new ArrayList<>();
                arguments.add(leaseMillis);
                arguments.addAll(ids.subList(from, Math.min(ids.size(), from + RENEW_BATCH)));
                RENEW.run(redis, List.of(key(userKey)), arguments)
                        .onFailure(e -> LOG.debugf("Redis did not renew slots of a user: %s", e.toString()));
            }
        });
    }

    private String key(String userKey) {
        return prefix + userKey;
    }
}
