package io.switchboard.chat;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
class ChatMessageRepository implements PanacheRepositoryBase<ChatMessageEntity, UUID> {

    /** The latest {@code limit} messages of a workflow, oldest first. */
    List<ChatMessageEntity> latest(String tenantId, String workflowId, int limit) {
        List<ChatMessageEntity> newestFirst = find("tenantId = :tenant and workflowId = :workflow order by seq desc",
                Parameters.with("tenant", tenantId).and("workflow", workflowId))
                .page(0, limit).list();
        List<ChatMessageEntity> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /** Up to {@code limit} messages of a workflow after the one with sequence {@code afterSeq}, oldest first. */
    List<ChatMessageEntity> after(String tenantId, String workflowId, long afterSeq, int limit) {
        return find("tenantId = :tenant and workflowId = :workflow and seq > :after order by seq asc",
                Parameters.with("tenant", tenantId).and("workflow", workflowId).and("after", afterSeq))
                .page(0, limit).list();
    }

    /** A message of this tenant and workflow, or empty (another tenant's message is "not found" too). */
    Optional<ChatMessageEntity> findInWorkflow(String tenantId, String workflowId, UUID messageId) {
        return find("id = :id and tenantId = :tenant and workflowId = :workflow",
                Parameters.with("id", messageId).and("tenant", tenantId).and("workflow", workflowId))
                .firstResultOptional();
    }

    Optional<String> latestMessageId(String tenantId, String workflowId) {
        return latest(tenantId, workflowId, 1).stream().findFirst().map(message -> message.id.toString());
    }
}
