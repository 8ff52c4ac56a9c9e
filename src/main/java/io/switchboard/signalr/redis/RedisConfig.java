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
}
