package io.switchboard.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The remembered chat session of each user: joined workflows and the active one. Kept in PostgreSQL
 * so a user who reconnects to any replica gets it back. Callers provide the transaction.
 */
@ApplicationScoped
class ChatSessionStore {

    /** A remembered session: when it was last touched, the active workflow and every joined one. */
    record StoredSession(Instant updatedAt, String activeWorkflowId, List<String> workflowIds) {
    }

    private final EntityManager entityManager;

    ChatSessionStore(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Records the join, unless the user is already in {@code maxWorkflows} other workflows: false then,
     * and nothing changes. The session row's lock (taken by the upsert) serializes a user's joins, so
     * racing connections cannot pass the limit together.
     */
    boolean joined(String tenantId, String userId, String workflowId, Instant now, int maxWorkflows) {
        upsertSession(tenantId, userId, workflowId, now);
        Number others = (Number) entityManager.createNativeQuery("""
                        SELECT count(*) FROM chat_session_workflow
                        WHERE tenant_id = :tenant AND user_id = :user AND workflow_id <> :workflow""")
                .setParameter("tenant", tenantId).setParameter("user", userId).setParameter("workflow", workflowId)
                .getSingleResult();
        if (others.longValue() >= maxWorkflows) {
            return false;
        }
        entityManager.createNativeQuery("""
                        INSERT INTO chat_session_workflow (tenant_id, user_id, workflow_id, joined_at)
                        VALUES (:tenant, :user, :workflow, :now)
                        ON CONFLICT (tenant_id, user_id, workflow_id) DO NOTHING""")
                .setParameter("tenant", tenantId).setParameter("user", userId)
                .setParameter("workflow", workflowId).setParameter("now", now)
                .executeUpdate();
        return true;
    }

    void left(String tenantId, String userId, String workflowId, String newActiveWorkflowId, Instant now) {
        entityManager.createNativeQuery("""
                        DELETE FROM chat_session_workflow
                        WHERE tenant_id = :tenant AND user_id = :user AND workflow_id = :workflow""")
                .setParameter("tenant", tenantId).setParameter("user", userId).setParameter("workflow", workflowId)
                .executeUpdate();
        upsertSession(tenantId, userId, newActiveWorkflowId, now);
    }

    void touch(String tenantId, String userId, Instant now) {
        entityManager.createNativeQuery("""
                        UPDATE chat_session SET updated_at = :now WHERE tenant_id = :tenant AND user_id = :user""")
                .setParameter("tenant", tenantId).setParameter("user", userId).setParameter("now", now)
                .executeUpdate();
    }

    Optional<StoredSession> find(String tenantId, String userId) {
        List<?> sessions = entityManager.createNativeQuery("""
                        SELECT updated_at, active_workflow_id FROM chat_session
                        WHERE tenant_id = :tenant AND user_id = :user""")
                .setParameter("tenant", tenantId).setParameter("user", userId)
                .getResultList();
        if (sessions.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) sessions.get(0);
        @SuppressWarnings("unchecked")
        List<String> workflows = entityManager.createNativeQuery("""
                        SELECT workflow_id FROM chat_session_workflow
                        WHERE tenant_id = :tenant AND user_id = :user ORDER BY joined_at, workflow_id""")
                .setParameter("tenant", tenantId).setParameter("user", userId)
                .getResultList();
        return Optional.of(new StoredSession(toInstant(row[0]), (String) row[1], workflows));
    }

    void forget(String tenantId, String userId) {
        entityManager.createNativeQuery("DELETE FROM chat_session WHERE tenant_id = :tenant AND user_id = :user")
                .setParameter("tenant", tenantId).setParameter("user", userId)
                .executeUpdate();
    }

    private void upsertSession(String tenantId, String userId, String activeWorkflowId, Instant now) {
        entityManager.createNativeQuery("""
                        INSERT INTO chat_session (tenant_id, user_id, active_workflow_id, updated_at)
                        VALUES (:tenant, :user, CAST(:active AS VARCHAR), :now)
                        ON CONFLICT (tenant_id, user_id)
                        DO UPDATE SET active_workflow_id = EXCLUDED.active_workflow_id, updated_at = EXCLUDED.updated_at""")
                .setParameter("tenant", tenantId).setParameter("user", userId)
                .setParameter("active", activeWorkflowId).setParameter("now", now)
                .executeUpdate();
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
    }
}
