package io.switchboard.pendingchange;

import io.switchboard.signalr.redis.Backplane;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The changes this replica proposed and has not decided since, when it is the only replica (no Redis):
 * a subscriber asking for one of them needs no database read to know it is still Pending.
 *
 * <p>Why it cannot miss a decision: a change enters once, right after its INSERT, and leaves right
 * after the statement that decides it (before the decision is announced to any deliverer); a
 * subscriber joins the change's group first and asks here second. So either the subscriber finds the
 * change here, and the decision, announced later, finds the subscriber in its group; or it does not,
 * and reads PostgreSQL. A decision inside a caller's transaction that then rolls back has removed the
 * change already: its subscribers read PostgreSQL, which says Pending. Nothing is ever put back.
 *
 * <p>With Redis there may be other replicas, whose decisions reach this one later than they commit:
 * then nothing is remembered and every subscriber reads PostgreSQL.
 */
@ApplicationScoped
class KnownPending {

    /** Bounds the memory; past it everything is forgotten and subscribers read PostgreSQL again. */
    static final int MAX_ENTRIES = 50_000;

    private final boolean onlyReplica;
    private final Map<UUID, String> tenantById = new ConcurrentHashMap<>();

    KnownPending(Backplane backplane) {
        this.onlyReplica = backplane.redis().isEmpty();
    }

    /** Right after the change's INSERT. */
    void proposed(UUID id, String tenantId) {
        if (onlyReplica) {
            if (tenantById.size() >= MAX_ENTRIES) {
                tenantById.clear();
            }
            tenantById.put(id, tenantId);
        }
    }

    /** Right after a statement that may have decided the change, before the decision is announced. */
    void decided(UUID id) {
        tenantById.remove(id);
    }

    /** True when the change of this tenant is certainly still Pending; false when PostgreSQL must say. */
    boolean isPending(String tenantId, UUID id) {
        return tenantId.equals(tenantById.get(id));
    }
}
