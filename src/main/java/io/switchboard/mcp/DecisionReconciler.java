package io.switchboard.mcp;

import io.switchboard.pendingchange.PendingChangeService;
import io.switchboard.pendingchange.PendingChangeEvents;
import io.switchboard.signalr.redis.BackplaneReconnected;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * After a backplane outage, decisions committed on other replicas meanwhile never reached this one.
 * Every replica repairs its own subscribers from PostgreSQL: each locally subscribed change that is
 * decided is pushed again to the local subscribers. An agent may get a decision twice; the payload
 * (same pendingChangeId and status) makes that harmless, and none is lost.
 */
@ApplicationScoped
class DecisionReconciler {

    private static final Logger LOG = Logger.getLogger(DecisionReconciler.class);

    private final HubContext mcp;
    private final PendingChangeService changes;

    DecisionReconciler(HubRegistry hubs, PendingChangeService changes) {
        this.mcp = hubs.context(McpHub.NAME);
        this.changes = changes;
    }

    void onReconnected(@ObservesAsync BackplaneReconnected event) {
        List<UUID> subscribed = mcp.localGroups().stream()
                .map(McpHub::changeIdOf).flatMap(Optional::stream).distinct().toList();
        List<PendingChangeEvents.Decided> decided = changes.findDecided(subscribed);
        for (PendingChangeEvents.Decided change : decided) {
            DecisionNotifications.of(change.change()).ifPresent(notification -> mcp.sendToLocalGroup(
                    McpHub.subscribers(change.tenantId(), change.change().id()), notification.method(),
                    notification.payload()));
        }
        LOG.infof("Backplane reconciliation: %d subscribed change(s), %d decided, pushed again locally",
                subscribed.size(), decided.size());
    }
}
