package io.switchboard.pendingchange;

import io.switchboard.chat.ChatHub;
import io.switchboard.mcp.DecisionNotifications;
import io.switchboard.mcp.McpHub;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pushes committed pending-change transitions: the decision to the agents subscribed on McpHub, and
 * the new state to the tenant's approvers on ChatHub. Observing {@code AFTER_SUCCESS} means a rolled
 * back transaction pushes nothing. Sends go through the lifetime managers, so a backplane carries
 * them to every replica. Decisions are announced through {@link DecisionAnnouncements}, which makes
 * sure each one is, at least once.
 */
@ApplicationScoped
class PendingChangeNotifier {

    private final HubContext mcp;
    private final HubContext chat;

    PendingChangeNotifier(HubRegistry hubs) {
        this.mcp = hubs.context(McpHub.NAME);
        this.chat = hubs.context(ChatHub.NAME);
    }

    void onProposed(@Observes(during = TransactionPhase.AFTER_SUCCESS) PendingChangeEvents.Proposed event) {
        chat.sendToGroup(ChatHub.approversGroup(event.tenantId()), "PendingChangeCreated", event.change());
    }

    /**
     * Announces a committed decision (on {@link DecisionAnnouncements}' behalf); completes once the
     * backplane confirmed both pushes (at once without Redis).
     */
    CompletionStage<Void> announce(PendingChangeEvents.Decided event) {
        PendingChangeView change = event.change();
        CompletionStage<Void> toAgents = DecisionNotifications.of(change)
                .map(notification -> mcp.sendToGroup(McpHub.subscribers(event.tenantId(), change.id()),
                        notification.method(), notification.payload()))
                .orElse(CompletableFuture.completedFuture(null));
        CompletionStage<Void> toApprovers = chat.sendToGroup(ChatHub.approversGroup(event.tenantId()),
                "PendingChangeUpdated", change);
        return toAgents.thenCombine(toApprovers, (agents, approvers) -> null);
    }
}
