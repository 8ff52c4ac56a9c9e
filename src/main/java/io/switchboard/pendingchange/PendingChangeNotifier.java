package io.switchboard.pendingchange;

import io.switchboard.chat.ChatHub;
import io.switchboard.mcp.DecisionNotifications;
import io.switchboard.mcp.McpHub;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Pushes committed pending-change transitions: the decision to the agents subscribed on McpHub, and
 * the new state to the tenant's approvers on ChatHub. Observing {@code AFTER_SUCCESS} means a rolled
 * back transaction pushes nothing. Sends go through the lifetime managers, so a backplane carries
 * them to every replica.
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

    void onDecided(@Observes(during = TransactionPhase.AFTER_SUCCESS) PendingChangeEvents.Decided event) {
        PendingChangeView change = event.change();
        DecisionNotifications.of(change).ifPresent(notification -> mcp.sendToGroup(
                McpHub.subscribers(event.tenantId(), change.id()), notification.method(), notification.payload()));
        chat.sendToGroup(ChatHub.approversGroup(event.tenantId()), "PendingChangeUpdated", change);
    }
}
