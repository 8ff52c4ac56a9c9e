package io.switchboard.pendingchange;

import io.quarkus.scheduler.Scheduled;
import io.switchboard.signalr.redis.Backplane;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Every decision is announced at least once to every {@link DecisionListener} (a deliverer: the hubs,
 * the MCP endpoint), even when the replica that made it dies between the
 * commit and the publish (a crash, {@code kill -9}, Redis unreachable until then): a transactional
 * outbox in the decision's own row. The decision commits with {@code announce_due_at} (commit +
 * {@code announce-retry-after}); once the backplane confirms the announcement the column is cleared, in
 * batches, once every listener confirmed it. Every replica sweeps each second and announces again what is overdue, claiming it for one
 * more period so that a replica dying meanwhile is covered too. An agent may then hear of a decision
 * twice, with the same status; it never misses one.
 */
@ApplicationScoped
class DecisionAnnouncements {

    private static final Logger LOG = Logger.getLogger(DecisionAnnouncements.class);
    // Confirmations kept for the next sweep; beyond this (the database away for long) they are forgotten,
    // and those decisions are simply announced once more.
    private static final int MAX_CONFIRMED = 100_000;
    private static final int BATCH = 500;

    private final PendingChangeService changes;
    private final List<DecisionListener> listeners;
    private final Backplane backplane;
    private final Queue<UUID> confirmed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger confirmedCount = new AtomicInteger();

    DecisionAnnouncements(PendingChangeService changes, Instance<DecisionListener> listeners, Backplane backplane) {
        this.changes = changes;
        this.listeners = listeners.stream().toList();
        this.backplane = backplane;
    }

    void onDecided(@Observes(during = TransactionPhase.AFTER_SUCCESS) PendingChangeEvents.Decided event) {
        announce(event);
    }

    private void announce(PendingChangeEvents.Decided event) {
        UUID id = UUID.fromString(event.change().id());
        everyListener(event).thenRun(() -> {
            if (confirmedCount.incrementAndGet() <= MAX_CONFIRMED) {
                confirmed.add(id);
            } else {
                confirmedCount.decrementAndGet();
            }
        });
    }

    /** Completes once every listener confirmed; a listener that throws fails it, as one that fails. */
    private CompletableFuture<Void> everyListener(PendingChangeEvents.Decided event) {
        CompletableFuture<?>[] confirmations = listeners.stream().map(listener -> {
            try {
                return listener.announce(event).toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(confirmations);
    }

    @Scheduled(skipExecutionIf = Scheduled.ApplicationNotRunning.class, every = "${switchboard.pending-changes.announcement-sweep-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            clearConfirmed();
            // Announcing while this replica's Redis is away would only pile up envelopes for later.
            if (backplane.isConnected()) {
                announceOverdue();
            }
        } catch (RuntimeException e) {
            // The next sweep retries; a database outage must not stop the schedule.
            LOG.warnf("Decision announcement sweep failed: %s", e.getMessage());
        }
    }

    private void clearConfirmed() {
        // What is there now, in batches; confirmations arriving meanwhile wait for the next sweep.
        for (int rounds = confirmedCount.get() / BATCH + 1; rounds > 0 && !confirmed.isEmpty(); rounds--) {
            List<UUID> batch = new ArrayList<>(BATCH);
            for (UUID id; batch.size() < BATCH && (id = confirmed.poll()) != null; ) {
                batch.add(id);
            }
            try {
                changes.markAnnounced(batch);
            } catch (RuntimeException e) {
                confirmed.addAll(batch); // kept for the next sweep
                throw e;
            }
            confirmedCount.addAndGet(-batch.size());
        }
    }

    private void announceOverdue() {
        List<PendingChangeEvents.Decided> overdue;
        do {
            overdue = changes.claimUnannounced(BATCH);
            overdue.forEach(this::announce);
            if (!overdue.isEmpty()) {
                LOG.infof("Announced %d decision(s) again that no replica had confirmed in time", overdue.size());
            }
        } while (overdue.size() == BATCH);
    }
}
