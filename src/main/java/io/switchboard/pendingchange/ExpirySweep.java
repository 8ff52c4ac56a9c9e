package io.switchboard.pendingchange;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Marks due changes Expired every second (docs/api.md §5 "REST": announced within 2 s of {@code expiresAt}). Every
 * replica sweeps; the database makes sure each change expires once.
 */
@ApplicationScoped
class ExpirySweep {

    private static final Logger LOG = Logger.getLogger(ExpirySweep.class);

    private final PendingChangeService changes;
    private final PendingChangeConfig config;

    ExpirySweep(PendingChangeService changes, PendingChangeConfig config) {
        this.changes = changes;
        this.config = config;
    }

    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, every = "${switchboard.pending-changes.expiry-sweep-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int expired;
            do {
                expired = changes.expireDue();
                if (expired > 0) {
                    LOG.debugf("Expired %d pending change(s)", expired);
                }
            } while (expired == config.expirySweepBatchSize());
        } catch (RuntimeException e) {
            // The next sweep retries; a database outage must not stop the schedule.
            LOG.warnf("Expiry sweep failed: %s", e.getMessage());
        }
    }
}
