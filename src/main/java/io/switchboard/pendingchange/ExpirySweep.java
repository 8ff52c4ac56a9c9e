package io.switchboard.pendingchange;

import io.quarkus.scheduler.Scheduled;
import io.switchboard.ops.ScheduledJobs;
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
    private final ScheduledJobs jobs;

    ExpirySweep(PendingChangeService changes, PendingChangeConfig config, ScheduledJobs jobs) {
        this.changes = changes;
        this.config = config;
        this.jobs = jobs;
    }

    @Scheduled(every = "${switchboard.pending-changes.expiry-sweep-interval:1s}")
    void scheduled() {
        jobs.runAlone("expiry-sweep", this::sweep);
    }

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
