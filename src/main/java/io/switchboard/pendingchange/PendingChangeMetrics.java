package io.switchboard.pendingchange;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Pending changes for dashboards and alerts.
 *
 * <ul>
 *   <li>{@code switchboard.pending.changes{status="Pending"}}: changes waiting for a decision, all
 *       tenants, read from the database every 30 s. Counting Pending rows is cheap (the partial index
 *       the expiry sweep uses covers exactly them); counting decided ones would read the whole
 *       history, so they are counted as they happen instead. Every replica reports the same number:
 *       take the {@code max}, not the sum.</li>
 *   <li>{@code switchboard.pending.changes.transitions{status}}: changes this replica committed into
 *       a status (Pending when proposed, then Approved, Rejected or Expired): sum over replicas.</li>
 * </ul>
 */
@ApplicationScoped
class PendingChangeMetrics {

    private static final Logger LOG = Logger.getLogger(PendingChangeMetrics.class);

    private final AtomicLong pending = new AtomicLong();
    private final Map<PendingChangeStatus, Counter> transitions = new EnumMap<>(PendingChangeStatus.class);

    PendingChangeMetrics(MeterRegistry registry) {
        Gauge.builder("switchboard.pending.changes", pending, AtomicLong::get)
                .description("Pending changes waiting for a decision (all tenants, from the database)")
                .tag("status", PendingChangeStatus.Pending.name())
                .register(registry);
        for (PendingChangeStatus status : PendingChangeStatus.values()) {
            transitions.put(status, Counter.builder("switchboard.pending.changes.transitions")
                    .description("Pending changes committed into a status by this replica")
                    .tag("status", status.name())
                    .register(registry));
        }
    }

    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        try {
            pending.set(PendingChangeEntity.count("status", PendingChangeStatus.Pending));
        } catch (RuntimeException e) {
            // The gauge keeps its last value; readiness already reports the database.
            LOG.debugf("Could not count pending changes: %s", e.getMessage());
        }
    }

    void onProposed(@Observes(during = TransactionPhase.AFTER_SUCCESS) PendingChangeEvents.Proposed event) {
        transitions.get(PendingChangeStatus.Pending).increment();
    }

    void onDecided(@Observes(during = TransactionPhase.AFTER_SUCCESS) PendingChangeEvents.Decided event) {
        transitions.get(event.change().status()).increment();
    }
}
