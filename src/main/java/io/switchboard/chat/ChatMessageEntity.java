package io.switchboard.chat;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;

/** One stored chat message. {@code seq} is assigned by the database and orders history. */
@Entity
@Table(name = "chat_message")
public class ChatMessageEntity {

    @Id
    public UUID id;

    @Generated
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "workflow_id")
    public String workflowId;

    @Column(name = "user_id", nullable = false)
    public String userId;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(nullable = false, length = 4000)
    public String content;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    ChatMessageView toView() {
        return new ChatMessageView(id.toString(), workflowId, userId, displayName, content, createdAt);
    }
}
