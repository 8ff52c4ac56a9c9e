package io.switchboard.pendingchange;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.switchboard.identity.HubUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Pending changes and their one-way transitions. A decision locks the row ({@code FOR NO KEY
 * UPDATE}, the lock its UPDATE takes) and changes it only if it is still Pending and unexpired; the
 * expiry sweep's UPDATE skips locked rows and matches only Pending ones. So of two racing deciders (or
 * a decider and the sweep) exactly one wins. Each transition fires a {@link PendingChangeEvents} event
 * inside its transaction.
 */
@ApplicationScoped
public class PendingChangeService {

    // The statements of an approval's path (and of a subscription's status check) can reach their row
    // only through the primary key; the status and expiry are checked in Java on the locked row. With
    // those conditions in the WHERE clause, PostgreSQL may plan on another index that also matches them:
    // Flyway creates the indexes on an empty table, the planner takes them for empty until autovacuum
    // first analyses it, and pgJDBC's prepared statement keeps the plan it got. The decision's UPDATE then
    // scanned every pending change's entry of pending_change_due, 4.7 ms per approval at 15,000 pending
    // (TransitionQueryPlansTest). The tenant is still filtered in SQL (nobody locks or reads another
    // tenant's row), but as "(…) IS TRUE", which no index can serve.
    static final String LOCK_FOR_DECISION = """
            SELECT status, expires_at FROM pending_change
             WHERE id = ? AND (tenant_id = ?) IS TRUE
            FOR NO KEY UPDATE""";
    static final String DECIDE = """
            UPDATE pending_change
               SET status = ?, decided_at = ?, decided_by = ?, reason = ?,
                   execution_result = CAST(? AS jsonb), announce_due_at = ?
             WHERE id = ?
            RETURNING *""";
    static final String STATUS = "SELECT status FROM pending_change WHERE id = ? AND (tenant_id = ?) IS TRUE";

    // SKIP LOCKED lets replicas sweep at the same time without waiting on, or double-counting, a row.
    private static final String EXPIRE_DUE = """
            UPDATE pending_change SET status = 'Expired', decided_at = ?, announce_due_at = ?
             WHERE id IN (SELECT id FROM pending_change
                           WHERE status = 'Pending' AND expires_at <= ?
                           ORDER BY expires_at LIMIT ?
                           FOR UPDATE SKIP LOCKED)
            RETURNING *""";

    // Decisions whose announcement nobody confirmed in time; claimed for one more grace period, so two
    // replicas do not announce the same one at once, and another one does if this one dies too.
    private static final String CLAIM_UNANNOUNCED = """
            UPDATE pending_change SET announce_due_at = :retryAt
             WHERE id IN (SELECT id FROM pending_change
                           WHERE announce_due_at <= :now
                           ORDER BY announce_due_at LIMIT :batch
                           FOR UPDATE SKIP LOCKED)
            RETURNING *""";

    /** A page of changes with the total number of matches. Reflection-registered for Jackson in a native image. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record PageOf(List<PendingChangeView> items, long total, int page, int size) {
    }

    /** The change does not exist in the caller's tenant. */
    public static final class NotFound extends RuntimeException {
        NotFound() {
            super("Pending change not found", null, false, false);
        }
    }

    /** The change has already left Pending. */
    public static final class NotPending extends RuntimeException {
        NotPending(PendingChangeStatus status) {
            super("The pending change is " + status + ", not Pending.", null, false, false);
        }
    }

    private final EntityManager entityManager;
    private final javax.sql.DataSource dataSource;
    private final ObjectMapper json;
    private final PendingChangeConfig config;
    private final Event<PendingChangeEvents.Proposed> proposed;
    private final Event<PendingChangeEvents.Decided> decided;

    PendingChangeService(EntityManager entityManager, javax.sql.DataSource dataSource, ObjectMapper json,
                         PendingChangeConfig config, Event<PendingChangeEvents.Proposed> proposed,
                         Event<PendingChangeEvents.Decided> decided) {
        this.entityManager = entityManager;
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
        this.proposed = proposed;
        this.decided = decided;
    }

    /**
     * Stores a change proposed by {@code agent} (whatever path it came through: REST, MCP): the agent's
     * id and display name are its API key's id and name, kept as the change's {@link ProposedBy}.
     */
    @Transactional
    public PendingChangeView propose(HubUser agent, NewPendingChange request) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Duration expiry = request.expiresInSeconds() == null
                ? config.defaultExpiry() : Duration.ofSeconds(request.expiresInSeconds());
        PendingChangeEntity change = new PendingChangeEntity();
        change.id = UUID.randomUUID();
        change.tenantId = agent.tenantId();
        change.apiKeyId = agent.id();
        change.proposedByName = agent.displayName();
        change.toolName = request.toolName();
        change.operation = request.diff().operation();
        change.entityType = request.diff().entityType();
        change.entityId = request.diff().entityId();
        change.beforeState = toJson(request.diff().before());
        change.afterState = toJson(request.diff().after());
        change.status = PendingChangeStatus.Pending;
        change.createdAt = now;
        change.expiresAt = now.plus(expiry);
        change.persist();
        PendingChangeView view = toView(change);
        proposed.fire(new PendingChangeEvents.Proposed(change.tenantId, view));
        return view;
    }

    /**
     * Only the status of a change of the tenant: one indexed SELECT on a pooled connection, with
     * neither a transaction nor a Hibernate session (an agent subscribing asks this for every change it
     * waits on; it needs the whole change only once decided). Blocking.
     */
    public Optional<PendingChangeStatus> statusOf(String tenantId, UUID id) {
        return ChangeRows.query(dataSource, STATUS, idInTenant(id, tenantId),
                row -> PendingChangeStatus.valueOf(row.getString(1))).stream().findFirst();
    }

    /** Binds the two parameters of {@link #STATUS} and {@link #LOCK_FOR_DECISION}. */
    private static ChangeRows.Binder idInTenant(UUID id, String tenantId) {
        return statement -> {
            statement.setObject(1, id);
            statement.setString(2, tenantId);
        };
    }

    @Transactional
    public Optional<PendingChangeView> find(String tenantId, UUID id) {
        return findEntity(tenantId, id).map(this::toView);
    }

    @Transactional
    public PageOf list(String tenantId, PendingChangeStatus status, int page, int size) {
        String query = status == null ? "tenantId = :tenant" : "tenantId = :tenant and status = :status";
        Parameters parameters = Parameters.with("tenant", tenantId);
        if (status != null) {
            parameters = parameters.and("status", status);
        }
        var found = PendingChangeEntity.<PendingChangeEntity>find(query,
                Sort.descending("createdAt").and("id", Sort.Direction.Descending), parameters);
        long total = found.count();
        // A page past the end is empty; asking the database for it would overflow the row offset.
        List<PendingChangeView> items = (long) page * size >= total ? List.of()
                : found.page(Page.of(page, size)).list().stream().map(this::toView).toList();
        return new PageOf(items, total, page, size);
    }

    /** @throws NotFound or {@link NotPending} */
    @Transactional
    public PendingChangeView approve(HubUser approver, UUID id, JsonNode executionResult) {
        return decide(approver.tenantId(), id, PendingChangeStatus.Approved, approver.id(), null,
                toJson(executionResult));
    }

    /** @throws NotFound or {@link NotPending} */
    @Transactional
    public PendingChangeView reject(HubUser approver, UUID id, String reason) {
        return decide(approver.tenantId(), id, PendingChangeStatus.Rejected, approver.id(), reason, null);
    }

    private PendingChangeView decide(String tenantId, UUID id, PendingChangeStatus outcome, String decidedBy,
                                     String reason, String executionResult) {
        Instant decidedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Locked until the transaction ends: a concurrent decision or the expiry sweep waits or skips it.
        LockedChange current = ChangeRows.query(dataSource, LOCK_FOR_DECISION, idInTenant(id, tenantId),
                        row -> new LockedChange(PendingChangeStatus.valueOf(row.getString(1)),
                                ChangeRows.instant(row, "expires_at")))
                .stream().findFirst().orElseThrow(NotFound::new);
        if (current.status() != PendingChangeStatus.Pending) {
            throw new NotPending(current.status());
        }
        if (!current.expiresAt().isAfter(decidedAt)) {
            // Past its expiry but not yet swept: it is no longer Pending for a decider.
            throw new NotPending(PendingChangeStatus.Expired);
        }
        var now = ChangeRows.timestamp(decidedAt);
        var announceDue = ChangeRows.timestamp(decidedAt.plus(config.announceRetryAfter()));
        PendingChangeEntity updated = ChangeRows.updateReturning(dataSource, DECIDE, statement -> {
            statement.setString(1, outcome.name());
            statement.setObject(2, now);
            statement.setString(3, decidedBy);
            statement.setString(4, reason);
            statement.setString(5, executionResult);
            statement.setObject(6, announceDue);
            statement.setObject(7, id);
        }).stream().findFirst().orElseThrow(() -> new IllegalStateException("The locked change " + id + " vanished"));
        PendingChangeView view = toView(updated);
        decided.fire(new PendingChangeEvents.Decided(tenantId, view));
        return view;
    }

    private record LockedChange(PendingChangeStatus status, Instant expiresAt) {
    }

    /** Marks up to one batch of due changes Expired; returns how many. Safe to run on every replica at once. */
    @Transactional
    public int expireDue() {
        Instant expiredAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var now = ChangeRows.timestamp(expiredAt);
        var announceDue = ChangeRows.timestamp(expiredAt.plus(config.announceRetryAfter()));
        List<PendingChangeEntity> expired = ChangeRows.updateReturning(dataSource, EXPIRE_DUE, statement -> {
            statement.setObject(1, now);
            statement.setObject(2, announceDue);
            statement.setObject(3, now);
            statement.setInt(4, config.expirySweepBatchSize());
        });
        for (PendingChangeEntity change : expired) {
            decided.fire(new PendingChangeEvents.Decided(change.tenantId, toView(change)));
        }
        return expired.size();
    }

    /**
     * Up to {@code batch} decisions whose announcement is overdue (nobody confirmed it), each with its
     * tenant; they are due again one {@link PendingChangeConfig#announceRetryAfter()} from now. Safe
     * to run on every replica at once.
     */
    @Transactional
    public List<PendingChangeEvents.Decided> claimUnannounced(int batch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        @SuppressWarnings("unchecked")
        List<PendingChangeEntity> due = entityManager.createNativeQuery(CLAIM_UNANNOUNCED, PendingChangeEntity.class)
                .setParameter("now", now)
                .setParameter("retryAt", now.plus(config.announceRetryAfter()))
                .setParameter("batch", batch)
                .getResultList();
        return due.stream().map(change -> new PendingChangeEvents.Decided(change.tenantId, toView(change))).toList();
    }

    /** The backplane confirmed the announcement of these decisions: nobody needs to announce them again. */
    @Transactional
    public void markAnnounced(java.util.Collection<UUID> ids) {
        if (!ids.isEmpty()) {
            entityManager.createNativeQuery("UPDATE pending_change SET announce_due_at = NULL WHERE id IN (:ids)")
                    .setParameter("ids", ids)
                    .executeUpdate();
        }
    }

    /**
     * The changes among {@code ids} that are no longer Pending, in any tenant, each with its tenant
     * (for repairs, not for callers).
     */
    @Transactional
    public List<PendingChangeEvents.Decided> findDecided(java.util.Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return PendingChangeEntity.<PendingChangeEntity>find("id in :ids and status <> :pending",
                        Parameters.with("ids", ids).and("pending", PendingChangeStatus.Pending))
                .list().stream().map(change -> new PendingChangeEvents.Decided(change.tenantId, toView(change))).toList();
    }

    private Optional<PendingChangeEntity> findEntity(String tenantId, UUID id) {
        // By the primary key alone (see LOCK_FOR_DECISION); the tenant is checked here.
        return PendingChangeEntity.<PendingChangeEntity>findByIdOptional(id)
                .filter(change -> change.tenantId.equals(tenantId));
    }

    PendingChangeView toView(PendingChangeEntity change) {
        return new PendingChangeView(change.id.toString(), change.status, change.toolName,
                new Diff(change.operation, change.entityType, change.entityId,
                        fromJson(change.beforeState), fromJson(change.afterState)),
                change.createdAt, change.expiresAt, change.decidedAt, change.decidedBy, change.reason,
                fromJson(change.executionResult), new ProposedBy(change.apiKeyId, change.proposedByName));
    }

    private String toJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Unserializable JSON", e);
        }
    }

    private JsonNode fromJson(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }
}
