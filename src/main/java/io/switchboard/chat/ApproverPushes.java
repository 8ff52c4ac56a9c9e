package io.switchboard.chat;

import io.switchboard.pendingchange.DecisionListener;
import io.switchboard.pendingchange.PendingChangeEvents;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.concurrent.CompletionStage;

/**
 * Tells a tenant's approvers on ChatHub of its pending changes: a new one once its proposal committed
 * ({@code AFTER_SUCCESS}: a rolled back transaction pushes nothing), and each decision as it is
 * announced. Sends go through the lifetime manager, so a backplane carries them to every replica.
 */
@ApplicationScoped
class ApproverPushes implements DecisionListener {

    private final HubContext chat;

    ApproverPushes(HubRegistry hubs) {
        this.chat = hubs.context(ChatHub.NAME);
    }

    void onProposed(@Observes(during = TransactionPhase.AFTER_SUCCESS) PendingChangeEvents.Proposed event) {
        chat.sendToGroup(ChatHub.approversGroup(event.tenantId()), "PendingChangeCreated", event.change());
    }

    @Override
    public CompletionStage<Void> announce(PendingChangeEvents.Decided decided) {
        return chat.sendToGroup(ChatHub.approversGroup(decided.tenantId()), "PendingChangeUpdated", decided.change());
    }
}
