package io.switchboard.pendingchange;

/** Where a pending change stands. Constants are spelled as on the wire and in the database. */
public enum PendingChangeStatus {
    Pending, Approved, Rejected, Expired;

    public boolean isTerminal() {
        return this != Pending;
    }
}
