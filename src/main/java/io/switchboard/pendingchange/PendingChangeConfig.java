package io.switchboard.pendingchange;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "switchboard.pending-changes")
public interface PendingChangeConfig {

    /** How long a change waits for a decision when the agent does not say ({@code expiresInSeconds}). */
    @WithDefault("24h")
    Duration defaultExpiry();

    /**
     * How long after its commit a decision whose announcement the backplane has not confirmed is
     * announced again, by whichever replica sweeps first (its own replica may have died in between).
     */
    @WithDefault("5s")
    Duration announceRetryAfter();

    /** How many due changes one sweep marks Expired per transaction. */
    @WithDefault("200")
    int expirySweepBatchSize();
}
