package io.switchboard.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.switchboard.pendingchange.PendingChangeView;
import java.time.Instant;
import java.util.Optional;

/**
 * The pushes an agent receives when its change is decided (docs/api.md §4 "McpHub"): the hub method name and its
 * payload. Records are reflection-registered for Jackson in a native image.
 */
public final class DecisionNotifications {

    /** A hub method and the single argument to push with it. */
    public record Notification(String method, Object payload) {
    }

    @RegisterForReflection
    public record Approved(String pendingChangeId, String status, String toolName, String operation,
                           String entityType, String entityId, String approvedBy, JsonNode executionResult,
                           Instant timestamp) {
    }

    @RegisterForReflection
    public record Rejected(String pendingChangeId, String status, String toolName, String reason,
                           String rejectedBy, Instant timestamp) {
    }

    @RegisterForReflection
    public record Expired(String pendingChangeId, String status, String toolName, Instant timestamp) {
    }

    private DecisionNotifications() {
    }

    /** The notification for a decided change; empty while it is still Pending. */
    public static Optional<Notification> of(PendingChangeView change) {
        return switch (change.status()) {
            case Pending -> Optional.empty();
            case Approved -> Optional.of(new Notification("PendingChangeApproved", new Approved(change.id(),
                    "Approved", change.toolName(), change.diff().operation().name(), change.diff().entityType(),
                    change.diff().entityId(), change.decidedBy(), change.executionResult(), change.decidedAt())));
            case Rejected -> Optional.of(new Notification("PendingChangeRejected", new Rejected(change.id(),
                    "Rejected", change.toolName(), change.reason(), change.decidedBy(), change.decidedAt())));
            case Expired -> Optional.of(new Notification("PendingChangeExpired", new Expired(change.id(),
                    "Expired", change.toolName(), change.decidedAt())));
        };
    }
}
