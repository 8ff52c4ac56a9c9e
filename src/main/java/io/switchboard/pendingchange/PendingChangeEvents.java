package io.switchboard.pendingchange;

/**
 * CDI events fired inside the transaction that changes a pending change. Observers that push to
 * clients listen with {@code during = TransactionPhase.AFTER_SUCCESS}, so nothing is announced
 * unless it was committed.
 */
public final class PendingChangeEvents {

    private PendingChangeEvents() {
    }

    /** An agent proposed a change. */
    public record Proposed(String tenantId, PendingChangeView change) {
    }

    /** A change left Pending: approved, rejected or expired. */
    public record Decided(String tenantId, PendingChangeView change) {
    }
}
