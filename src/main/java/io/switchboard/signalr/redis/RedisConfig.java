package io.switchboard.signalr.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The Redis backplane. It is used when {@code quarkus.redis.hosts} is set; otherwise the replica runs alone. */
@ConfigMapping(prefix = "switchboard.redis")
public interface RedisConfig {

    /** Prepended to every channel, so deployments sharing a Redis stay apart. */
    @WithDefault("switchboard:")
    String keyPrefix();

    /** How long to wait between attempts to reach Redis again after an outage. */
    @WithDefault("1s")
    Duration retryInterval();

    /**
     * Envelopes a replica keeps for Redis while it is unreachable (or slow); they are sent when it is
     * back. Past this, new envelopes are dropped and counted ({@code signalr_backplane_dropped_total}).
     */
    @WithDefault("100000")
    int publishBuffer();

    /** Envelopes sent to Redis ahead of its answers on the publisher connection (pipelining depth). */
    @WithDefault("1024")
    int publishPipeline();
}
