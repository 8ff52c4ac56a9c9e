package io.switchboard.chat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "switchboard.chat")
public interface ChatConfig {

    /** A user who comes back within this time gets their joined workflows back. */
    @WithDefault("30m")
    Duration sessionRecoveryWindow();

    /** How often a replica tells Redis it is alive and sweeps dead replicas' presence (docs/architecture.md "Presence"). */
    @WithDefault("5s")
    Duration presenceHeartbeat();

    /**
     * A replica silent for this long is dead: its people drop out of GetMembers at once and are swept
     * (PresenceChanged offline) by the next live replica's heartbeat. Heartbeat + timeout stay under 30 s.
     */
    @WithDefault("15s")
    Duration presenceTimeout();

    /** How long a presence step waits for Redis before it is left to the next heartbeat. */
    @WithDefault("2s")
    Duration presenceCommandTimeout();

    /** The most people (per replica holding them) recorded in one workflow, and listed by GetMembers. */
    @WithDefault("1000")
    int presencePerWorkflow();
}
