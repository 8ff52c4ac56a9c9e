package io.switchboard.mcp;

import io.switchboard.pendingchange.DecisionListener;
import io.switchboard.pendingchange.PendingChangeEvents;
import io.switchboard.pendingchange.PendingChangeView;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pushes a decided change to the agents subscribed to it on McpHub ({@link DecisionNotifications}),
 * through the lifetime manager, so a backplane carries it to every replica.
 */
@ApplicationScoped
class AgentDecisionPushes implements DecisionListener {

    private final HubContext mcp;

    AgentDecisionPushes(HubRegistry hubs) {
        this.mcp = hubs.context(McpHub.NAME);
    }

    @Override
    public CompletionStage<Void> announce(PendingChangeEvents.Decided decided) {
        PendingChangeView change = decided.change();
        return DecisionNotifications.of(change)
                .map(notification -> mcp.sendToGroup(McpHub.subscribers(decided.tenantId(), change.id()),
                        notification.method(), notification.payload()))
                .orElse(CompletableFuture.completedFuture(null));
    }
}
