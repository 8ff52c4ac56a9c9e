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
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Pending changes and their one-way transitions. A decision locks the row ({@code FOR NO KEY
 * UPDATE}, the lock its UPDATE takes) and changes it only if it is still Pending and unexpired, in one
 * statement; the expiry sweep's UPDATE skips locked rows and matches only Pending ones. So of two racing
 * deciders (or a decider and the sweep) exactly one wins. Each write is one statement on a pooled
 * connection: inside the caller's transaction when there is one, otherwise committed by itself, with
 * no transaction manager or Hibernate session around it. Each transition fires a
 * {@link PendingChangeEvents} event once its statement ran; observers {@code during = AFTER_SUCCESS}
 * hear it after the commit (at once when the statement committed by itself).
 */
@ApplicationScoped
public class PendingChangeService {

    private static final Logger LOG = Logger.getLogger(PendingChangeService.class);

    // The statements of an approval's path (and of a subscription's read) can reach their row only
    // through the primary key; the status and expiry are checked on the locked row, not in the WHERE
    // clause that finds it. With those conditions in the WHERE clause, PostgreSQL may plan on another
    // index that also matches them: Flyway creates the indexes on an empty table, the planner takes them
    // for empty until autovacuum first analyses it, and pgJDBC's prepared statement keeps the plan it got.
    // The decision's UPDATE then scanned every pending change's entry of pending_change_due, 4.7 ms per
    // approval at 15,000 pending (TransitionQueryPlansTest). The tenant is still filtered in SQL (nobody
    // locks or reads another tenant's row), but as "(…) IS TRUE", which no index can serve.
    //
    // A decision is this one statement, one round trip (DatabaseWorkPerApprovalTest): it locks the row
    // (FOR NO KEY UPDATE, the lock its UPDATE takes; a concurrent decider waits and then reads the row as
    // that one left it), updates it only if it is still Pending and unexpired, and answers the locked
    // status (to tell "not found" from "not Pending") with the updated row, if any.
    static final String DECIDE = """
            WITH locked AS (
                SELECT id, status, expires_at FROM pending_change
                 WHERE id = ? AND (tenant_id = ?) IS TRUE
                FOR NO KEY UPDATE),
            decided AS (
                UPDATE pending_change
                   SET status = ?, decided_at = ?, decided_by = ?, reason = ?,
                       execution_result = CAST(? AS jsonb), announce_due_at = ?
                 WHERE id = (SELECT id FROM locked WHERE status = 'Pending' AND expires_at > ?)
                RETURNING *)
            SELECT locked.status AS locked_status, decided.* FROM locked LEFT JOIN decided ON true""";
    static final String STATUS = "SELECT status FROM pending_change WHERE id = ? AND (tenant_id = ?) IS TRUE";
    // What a subscriber needs: the status and, once decided, the decision (not the diff's states).
    static final String FOR_SUBSCRIBER = """
            SELECT id, tenant_id, api_key_id, proposed_by_name, tool_name, operation, entity_type, entity_id,
                   NULL AS before_state, NULL AS after_state, status, created_at, expires_at, decided_at,
                   decided_by, reason, execution_result
              FROM pending_change WHERE id = ? AND (tenant_id = ?) IS TRUE""";
    private static final String PROPOSE = """
            INSERT INTO pending_change (id, tenant_id, api_key_id, proposed_by_name, tool_name, operation,
                                        entity_type, entity_id, before_state, after_state, status, created_at,
                                        expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), 'Pending', ?, ?)""";

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
            UPDATE pending_change SET announce_due_at = ?
             WHERE id IN (SELECT id FROM pending_change
                           WHERE announce_due_at <= ?
                           ORDER BY announce_due_at LIMIT ?
                           FOR UPDATE SKIP LOCKED)
            RETURNING *""";
    private static final String MARK_ANNOUNCED = "UPDATE pending_change SET announce_due_at = NULL WHERE id = ANY (?)";

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

    private final javax.sql.DataSource dataSource;
    private final ObjectMapper json;
    private final PendingChangeConfig config;
    private final Event<PendingChangeEvents.Proposed> proposed;
    private final Event<PendingChangeEvents.Decided> decided;
    private final KnownPending knownPending;
    private final TransactionManager transactions;

    PendingChangeService(javax.sql.DataSource dataSource, ObjectMapper json,
                         PendingChangeConfig config, Event<PendingChangeEvents.Proposed> proposed,
                         Event<PendingChangeEvents.Decided> decided, KnownPending knownPending,
                         TransactionManager transactions) {
        this.knownPending = knownPending;
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
        this.proposed = proposed;
        this.decided = decided;
    }

    /**
     * Stores a change proposed by {@code agent} (whatever path it came through: REST, MCP): the agent's
     * id and display name are its API key's id and name, kept as the change's {@link ProposedBy}. One
     * INSERT: it joins the caller's transaction when there is one, and otherwise commits by itself (one
     * round trip); the {@link PendingChangeEvents.Proposed} event follows the commit either way.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
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
        // Known Pending from before the INSERT: no decision can come between the two (nobody knows the id
        // yet). Not inside a caller's transaction, which may still roll the INSERT back.
        boolean remembered = outsideTransaction();
        if (remembered) {
            knownPending.proposed(change.id, change.tenantId);
        }
        try {
            ChangeRows.update(dataSource, PROPOSE, statement -> {
                statement.setObject(1, change.id);
                statement.setString(2, change.tenantId);
                statement.setString(3, change.apiKeyId);
                statement.setString(4, change.proposedByName);
                statement.setString(5, change.toolName);
                statement.setString(6, change.operation.name());
                statement.setString(7, change.entityType);
                statement.setString(8, change.entityId);
                statement.setString(9, change.beforeState);
                statement.setString(10, change.afterState);
                statement.setObject(11, ChangeRows.timestamp(change.createdAt));
                statement.setObject(12, ChangeRows.timestamp(change.expiresAt));
            });
        } catch (RuntimeException e) {
            if (remembered) {
                knownPending.decided(change.id);
            }
            throw e;
        }
        PendingChangeView view = toView(change);
        announce(proposed, new PendingChangeEvents.Proposed(change.tenantId, view));
        return view;
    }

    /**
     * Only the status of a change of the tenant: one indexed SELECT on a pooled connection, with
     * neither a transaction nor a Hibernate session (an agent subscribing asks this for every change it
     * waits on; it needs the whole change only once decided). Blocking.
     */
    public Optional<PendingChangeStatus> statusOf(String tenantId, UUID id) {
        if (knownPending.isPending(tenantId, id)) {
            return Optional.of(PendingChangeStatus.Pending);
        }
        return ChangeRows.query(dataSource, STATUS, idInTenant(id, tenantId),
                row -> PendingChangeStatus.valueOf(row.getString(1))).stream().findFirst();
    }

    /**
     * True when the change of the tenant is certainly still Pending without asking PostgreSQL: proposed
     * on this replica and not decided since, when it is the only one ({@link KnownPending}). A
     * subscriber asks after joining the change's subscribers, so that a decision is either seen here
     * or pushed to it.
     */
    public boolean isKnownPending(String tenantId, UUID id) {
        return knownPending.isPending(tenantId, id);
    }

    /**
     * A change of the tenant as a subscriber needs it: its status and, once decided, the decision; the
     * diff's before and after states are left out (null). One indexed SELECT on a pooled connection,
     * with neither a transaction nor a Hibernate session. Blocking.
     */
    public Optional<PendingChangeView> forSubscriber(String tenantId, UUID id) {
        return ChangeRows.query(dataSource, FOR_SUBSCRIBER, idInTenant(id, tenantId), ChangeRows::read).stream()
                .findFirst().map(this::toView);
    }

    /** Binds the first two parameters of {@link #STATUS}, {@link #FOR_SUBSCRIBER} and {@link #DECIDE}. */
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

    /**
     * One statement ({@link #DECIDE}): it joins the caller's transaction when there is one, and otherwise
     * commits by itself; the {@link PendingChangeEvents.Decided} event follows the commit either way.
     *
     * @throws NotFound or {@link NotPending}
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PendingChangeView approve(HubUser approver, UUID id, JsonNode executionResult) {
        return decide(approver.tenantId(), id, PendingChangeStatus.Approved, approver.id(), null,
                toJson(executionResult));
    }

    /** Like {@link #approve}. @throws NotFound or {@link NotPending} */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PendingChangeView reject(HubUser approver, UUID id, String reason) {
        return decide(approver.tenantId(), id, PendingChangeStatus.Rejected, approver.id(), reason, null);
    }

    private PendingChangeView decide(String tenantId, UUID id, PendingChangeStatus outcome, String decidedBy,
                                     String reason, String executionResult) {
        Instant decidedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var now = ChangeRows.timestamp(decidedAt);
        var announceDue = ChangeRows.timestamp(decidedAt.plus(config.announceRetryAfter()));
        Decision decision = ChangeRows.query(dataSource, DECIDE, statement -> {
            idInTenant(id, tenantId).bind(statement);
            statement.setString(3, outcome.name());
            statement.setObject(4, now);
            statement.setString(5, decidedBy);
            statement.setString(6, reason);
            statement.setString(7, executionResult);
            statement.setObject(8, announceDue);
            // Past its expiry but not yet swept: it is no longer Pending for a decider.
            statement.setObject(9, now);
        }, row -> new Decision(PendingChangeStatus.valueOf(row.getString("locked_status")),
                row.getObject("id") == null ? null : ChangeRows.read(row))).stream().findFirst().orElseThrow(NotFound::new);
        knownPending.decided(id);
        if (decision.updated() == null) {
            throw new NotPending(decision.locked() == PendingChangeStatus.Pending
                    ? PendingChangeStatus.Expired : decision.locked());
        }
        PendingChangeView view = toView(decision.updated());
        announce(decided, new PendingChangeEvents.Decided(tenantId, view));
        return view;
    }

    /**
     * Fires a transition's event. Outside a transaction its statement has committed already and CDI runs
     * the observers {@code during = AFTER_SUCCESS} right here: one that fails is logged, as after a
     * commit, and does not turn the committed transition into the caller's error.
     */
    private static <T> void announce(Event<T> event, T transition) {
        try {
            event.fire(transition);
        } catch (RuntimeException e) {
            LOG.errorf(e, "An observer of a committed %s failed", transition.getClass().getSimpleName());
        }
    }

    /** True outside a transaction: a statement commits by itself. */
    private boolean outsideTransaction() {
        try {
            return transactions.getStatus() == Status.STATUS_NO_TRANSACTION;
        } catch (SystemException e) {
            return false;
        }
    }

    /** The status the decision found on the locked row, and the row it updated (null when it did not). */
    private record Decision(PendingChangeStatus locked, PendingChangeEntity updated) {
    }

    /**
     * Marks up to one batch of due changes Expired; returns how many. One statement, committed by itself
     * outside a transaction. Safe to run on every replica at once.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
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
            knownPending.decided(change.id);
            announce(decided, new PendingChangeEvents.Decided(change.tenantId, toView(change)));
        }
        return expired.size();
    }

    /**
     * Up to {@code batch} decisions whose announcement is overdue (nobody confirmed it), each with its
     * tenant; they are due again one {@link PendingChangeConfig#announceRetryAfter()} from now. Safe
     * to run on every replica at once.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PendingChangeEvents.Decided> claimUnannounced(int batch) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<PendingChangeEntity> due = ChangeRows.updateReturning(dataSource, CLAIM_UNANNOUNCED, statement -> {
            statement.setObject(1, ChangeRows.timestamp(now.plus(config.announceRetryAfter())));
            statement.setObject(2, ChangeRows.timestamp(now));
            statement.setInt(3, batch);
        });
        return due.stream().map(change -> new PendingChangeEvents.Decided(change.tenantId, toView(change))).toList();
    }

    /**
     * The backplane confirmed the announcement of these decisions: nobody needs to announce them again.
     * One statement for the batch, committed by itself.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void markAnnounced(java.util.Collection<UUID> ids) {
        if (!ids.isEmpty()) {
            ChangeRows.update(dataSource, MARK_ANNOUNCED, statement -> statement.setArray(1,
                    statement.getConnection().createArrayOf("uuid", ids.toArray())));
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
        // By the primary key alone (see DECIDE); the tenant is checked here.
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
