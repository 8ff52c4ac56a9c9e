package io.switchboard.chat;

import io.switchboard.account.AccountDeleted;
import io.switchboard.account.AccountsConfig;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.identity.HubUser;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

/**
 * A deleted account keeps no connection: once the deletion is committed, every ChatHub connection of
 * the account is closed, through the lifetime manager so it reaches every replica. A replica that had
 * just checked the account's token may still accept it for up to the deletion-check interval, so the
 * close is repeated once that interval has passed.
 */
@ApplicationScoped
class DeletedAccountDisconnector {

    private static final Logger LOG = Logger.getLogger(DeletedAccountDisconnector.class);
    private static final String REASON = "The account was deleted.";

    private final HubContext chat;
    private final Vertx vertx;
    private final long sweepAgainMillis;

    DeletedAccountDisconnector(HubRegistry hubs, Vertx vertx, AccountsConfig config) {
        this.chat = hubs.context(ChatHub.NAME);
        this.vertx = vertx;
        this.sweepAgainMillis = config.deletionCheckInterval().toMillis() + 1000;
    }

    void onDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) AccountDeleted deleted) {
        LOG.infof("Closing the connections of deleted account %s", deleted.accountId());
        String userKey = HubUser.userKey(deleted.tenantId(), deleted.accountId());
        chat.closeUserConnections(userKey, REASON);
        vertx.setTimer(sweepAgainMillis, timer -> chat.closeUserConnections(userKey, REASON));
    }
}
