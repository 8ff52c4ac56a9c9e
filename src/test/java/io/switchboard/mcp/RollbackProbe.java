package io.switchboard.mcp;

import io.switchboard.pendingchange.PendingChangeService;
import io.switchboard.identity.Roles;
import io.switchboard.identity.HubUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Set;
import java.util.UUID;

/** Test-only bean: approves inside a transaction that then fails, so it rolls back. */
@ApplicationScoped
public class RollbackProbe {

    /** The failure that rolls the transaction back. */
    public static class Boom extends RuntimeException {
        Boom() {
            super("rolled back on purpose");
        }
    }

    private final PendingChangeService changes;

    RollbackProbe(PendingChangeService changes) {
        this.changes = changes;
    }

    @Transactional
    public void approveThenFail(String tenantId, String id) {
        changes.approve(new HubUser("rollback", "Rollback", tenantId, Set.of(Roles.APPROVER)), UUID.fromString(id), null);
        throw new Boom();
    }
}
