package io.switchboard.chat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "switchboard.chat")
public interface ChatConfig {

    /** A user who comes back within this time gets their joined workflows back. */
    @WithDefault("30m")
    Duration sessionRecoveryWindow();
}
