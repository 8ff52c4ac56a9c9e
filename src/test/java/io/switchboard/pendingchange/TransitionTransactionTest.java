package io.switchboard.pendingchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.identity.HubUser;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A transition's UPDATE runs on a pooled connection, not through Hibernate, and must still be part of
 * the caller's transaction: rolled back with it, committed only with it.
 */
@QuarkusTest
class TransitionTransactionTest {

    @Inject
    PendingChangeService changes;

    @Inject
    UserTransaction transaction;

    private final String tenant = "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    private final HubUser agent = new HubUser("key-" + UUID.randomUUID(), "agent", tenant, Set.of("agent"));
    private final HubUser approver = new HubUser("carol", "Carol", tenant, Set.of("approver"));

    @Test
    void aDecisionRolledBackWithItsTransactionLeavesTheChangePending() throws Exception {
        UUID id = propose();
        insideTransaction(Ending.ROLLBACK,
                () -> assertEquals(PendingChangeStatus.Approved, changes.approve(approver, id, null).status()));
        assertEquals(Optional.of(PendingChangeStatus.Pending), changes.statusOf(tenant, id));
    }

    @Test
    void aDecisionIsSeenByOthersOnlyOnceItsTransactionCommits() throws Exception {
        UUID id = propose();
        insideTransaction(Ending.COMMIT, () -> {
            changes.reject(approver, id, "not now");
            // Another thread, outside this transaction, reads on a connection of its own.
            assertEquals(Optional.of(PendingChangeStatus.Pending),
                    CompletableFuture.supplyAsync(() -> changes.statusOf(tenant, id)).get(10, TimeUnit.SECONDS));
        });
        assertEquals(Optional.of(PendingChangeStatus.Rejected), changes.statusOf(tenant, id));
    }

    @Test
    void anotherTenantsDecisionDoesNotLockTheChange() throws Exception {
        UUID id = propose();
        HubUser otherTenantsApprover = new HubUser("mallory", "Mallory", "other-" + tenant, Set.of("approver"));
        insideTransaction(Ending.ROLLBACK, () -> {
            assertThrows(PendingChangeService.NotFound.class, () -> changes.approve(otherTenantsApprover, id, null));
            // Still inside that transaction: the change's own tenant decides it without waiting for it.
            assertEquals(PendingChangeStatus.Approved, CompletableFuture
                    .supplyAsync(() -> changes.approve(approver, id, null).status()).get(5, TimeUnit.SECONDS));
        });
    }

    private enum Ending { COMMIT, ROLLBACK }

    private interface Body {
        void run() throws Exception;
    }

    private void insideTransaction(Ending ending, Body body) throws Exception {
        transaction.begin();
        try {
            body.run();
        } finally {
            if (ending == Ending.COMMIT) {
                transaction.commit();
            } else {
                transaction.rollback();
            }
        }
    }

    private UUID propose() {
        return UUID.fromString(changes.propose(agent, new NewPendingChange("update_invoice",
                new Diff(Operation.UPDATE, "Invoice", "inv-1", null, null), null)).id());
    }
}
