package io.switchboard.pendingchange;

import java.util.concurrent.CompletionStage;

/**
 * Told of every committed decision, at least once ({@link DecisionAnnouncements}): the deliverers
 * (ChatHub's approvers, McpHub's subscribed agents, the MCP endpoint) implement it as CDI beans, so
 * this package knows none of them. A decision may be announced twice, after a replica died before
 * every deliverer confirmed; deliverers pass it on as it comes.
 */
public interface DecisionListener {

    /**
     * Passes the decision on; completes once it is on its way to every replica (the backplane
     * confirmed it), so the decision need not be announced again. Must not block.
     */
    CompletionStage<Void> announce(PendingChangeEvents.Decided decided);
}
