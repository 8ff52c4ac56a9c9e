package io.switchboard.chat;

import io.switchboard.limits.LimitsConfig;
import io.switchboard.identity.HubUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Chat persistence in transactions: messages, history and remembered sessions. Every method commits
 * before it returns, so a caller pushes only what is stored.
 */
@ApplicationScoped
public class ChatService {

    public static final int MAX_MESSAGE_LENGTH = 4000;
    public static final int MAX_HISTORY_LIMIT = 500;
    public static final int MAX_WORKFLOW_ID_LENGTH = 200;

    /** A session that may be restored: the workflows with their latest message, and the active one. */
    public record Restorable(List<ChatPayloads.RestoredWorkflow> workflows, String activeWorkflowId) {
    }

    private final ChatMessageRepository messages;
    private final ChatSessionStore sessions;
    private final LimitsConfig limits;

    ChatService(ChatMessageRepository messages, ChatSessionStore sessions, LimitsConfig limits) {
        this.messages = messages;
        this.sessions = sessions;
        this.limits = limits;
    }

    /** Stores a message (content already validated) and returns it as clients will see it. */
    @Transactional
    public ChatMessageView post(HubUser author, String workflowId, String content) {
        ChatMessageEntity message = new ChatMessageEntity();
        message.id = UUID.randomUUID();
        message.tenantId = author.tenantId();
        message.workflowId = workflowId;
        message.userId = author.id();
        message.displayName = author.displayName();
        message.content = content;
        // Millisecond precision: the acknowledgement and the stored row read back identically.
        message.createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        messages.persist(message);
        return message.toView();
    }

    /**
     * Up to {@code limit} messages after {@code afterMessageId}, or the latest {@code limit} when it
     * is null; oldest first.
     *
     * @throws UnknownMessageException when {@code afterMessageId} is not a message of this workflow
     */
    @Transactional
    public List<ChatMessageView> history(String tenantId, String workflowId, UUID afterMessageId, int limit) {
        List<ChatMessageEntity> found;
        if (afterMessageId == null) {
            found = messages.latest(tenantId, workflowId, limit);
        } else {
            ChatMessageEntity after = messages.findInWorkflow(tenantId, workflowId, afterMessageId)
                    .orElseThrow(UnknownMessageException::new);
            found = messages.after(tenantId, workflowId, after.seq, limit);
        }
        return found.stream().map(ChatMessageEntity::toView).toList();
    }

    @Transactional
    public void joined(HubUser user, String workflowId) {
        if (!sessions.joined(user.tenantId(), user.id(), workflowId, Instant.now(), limits.workflowsPerUser())) {
            // Thrown out of the transaction, which rolls back: the active workflow stays as it was.
            throw new WorkflowLimitReached(limits.workflowsPerUser());
        }
    }

    /** The user is already in as many workflows as one person may be (docs/api.md, "Limits"). */
    public static final class WorkflowLimitReached extends RuntimeException {

        WorkflowLimitReached(int limit) {
            super("You can be in at most " + limit + " workflows.", null, false, false);
        }
    }

    @Transactional
    public void left(HubUser user, String workflowId, String newActiveWorkflowId) {
        sessions.left(user.tenantId(), user.id(), workflowId, newActiveWorkflowId, Instant.now());
    }

    @Transactional
    public void touch(HubUser user) {
        sessions.touch(user.tenantId(), user.id(), Instant.now());
    }

    /**
     * The user's session if it was touched within {@code window} and has joined workflows; an
     * expired session is forgotten.
     */
    @Transactional
    public Optional<Restorable> restorable(HubUser user, Duration window) {
        Optional<ChatSessionStore.StoredSession> stored = sessions.find(user.tenantId(), user.id());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        if (stored.get().updatedAt().isBefore(now.minus(window))) {
            sessions.forget(user.tenantId(), user.id());
            return Optional.empty();
        }
        sessions.touch(user.tenantId(), user.id(), now);
        if (stored.get().workflowIds().isEmpty()) {
            return Optional.empty();
        }
        List<ChatPayloads.RestoredWorkflow> workflows = stored.get().workflowIds().stream()
                .map(workflowId -> new ChatPayloads.RestoredWorkflow(workflowId,
                        messages.latestMessageId(user.tenantId(), workflowId).orElse(null)))
                .toList();
        return Optional.of(new Restorable(workflows, stored.get().activeWorkflowId()));
    }

    /** Thrown when a history request names a message that is not in the workflow. */
    public static final class UnknownMessageException extends RuntimeException {
        UnknownMessageException() {
            super("Message not found", null, false, false);
        }
    }
}
