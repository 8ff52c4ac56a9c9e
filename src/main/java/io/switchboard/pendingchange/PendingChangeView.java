package io.switchboard.pendingchange;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A pending change as clients see it (docs/api.md §5 "REST"). Reflection-registered for Jackson in a native image. */
@RegisterForReflection
public record PendingChangeView(String id, PendingChangeStatus status, String toolName, Diff diff,
                                Instant createdAt, Instant expiresAt, Instant decidedAt, String decidedBy,
                                String reason, JsonNode executionResult, ProposedBy proposedBy) {
}
