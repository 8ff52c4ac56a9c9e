package io.switchboard.pendingchange;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A pending change row. JSON columns hold the agent's JSON text as is; {@link PendingChangeService}
 * parses it for views. Writes never go through this entity (PendingChangeService runs each as one SQL
 * statement, ChangeRows); Hibernate reads it for the REST list and look-up.
 */
@Entity
@Table(name = "pending_change")
public class PendingChangeEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "api_key_id", nullable = false)
    public String apiKeyId;

    /** The proposing key's name as it was then (the name approvers see). */
    @Column(name = "proposed_by_name")
    public String proposedByName;

    @Column(name = "tool_name", nullable = false)
    public String toolName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Operation operation;

    @Column(name = "entity_type", nullable = false)
    public String entityType;

    @Column(name = "entity_id")
    public String entityId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "before_state")
    public String beforeState;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "after_state")
    public String afterState;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PendingChangeStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column
    public String reason;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "execution_result")
    public String executionResult;
}
