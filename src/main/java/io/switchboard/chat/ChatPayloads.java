package io.switchboard.chat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/** Results and events of ChatHub (docs/api.md §3 "ChatHub"). Reflection-registered for Jackson in a native image. */
public final class ChatPayloads {

    private ChatPayloads() {
    }

    /** Result of {@code JoinWorkflow}. */
    @RegisterForReflection
    public record Joined(String workflowId) {
    }

    /** Result of {@code SendMessage}: the acknowledgement. */
    @RegisterForReflection
    public record MessageAck(String messageId, String workflowId, Instant timestamp) {
    }

    /** {@code UserJoined} and {@code UserLeft}. */
    @RegisterForReflection
    public record Presence(String workflowId, String userId, String displayName) {
    }

    /** One person of {@code GetMembers}. */
    @RegisterForReflection
    public record Member(String userId, String displayName) {
    }

    /** {@code PresenceChanged}: a person's first connection in the workflow opened, or their last one went. */
    @RegisterForReflection
    public record PresenceChanged(String workflowId, String userId, String displayName, boolean online) {
    }

    /** {@code SessionRestored}. */
    @RegisterForReflection
    public record SessionRestored(List<RestoredWorkflow> workflows, String activeWorkflowId) {
    }

    /** One workflow the new connection was put back into, with its latest message (null when empty). */
    @RegisterForReflection
    public record RestoredWorkflow(String workflowId, String lastMessageId) {
    }
}
