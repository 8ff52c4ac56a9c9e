package io.switchboard.pendingchange;

import java.util.concurrent.CompletionStage;

/**
 * A deliverer of committed decisions (a hub, the MCP endpoint) that this package announces to
 * without knowing it: every bean implementing it is told each decision at least once, and the
 * announcement counts as done when every one of them has confirmed (see {@link DecisionAnnouncements}).
 */
public interface DecisionListener {

    /** Delivers {@code decision}; completes once it reached every replica (at once without a backplane). */
    CompletionStage<Void> announce(PendingChangeEvents.Decided decision);
}
