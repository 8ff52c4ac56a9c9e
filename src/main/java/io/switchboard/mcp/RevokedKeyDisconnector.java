package io.switchboard.mcp;

import io.switchboard.apikey.ApiKeyRevoked;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.identity.HubUser;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

/**
 * A revoked API key keeps no connection: once the revocation is committed, every McpHub connection of
 * the key is closed, through the lifetime manager so it reaches every replica. Another replica may
 * have read the key just before the revocation committed and finish opening a connection after the
 * close, so the close is repeated once (within the 2 s docs/api.md promises); from the first close on,
 * every replica refuses the key ({@code RecentlyValidKeys} forgot it).
 * Repeated revocations simply find nothing left to close.
 */
@ApplicationScoped
class RevokedKeyDisconnector {

    private static final Logger LOG = Logger.getLogger(RevokedKeyDisconnector.class);

    private static final String REASON = "The API key was revoked.";
    /**
     * A connection whose key was read from the database just before the revocation committed may
     * finish opening after the first close; this second one, well within the 2 s docs/api.md promises,
     * catches it.
     */
    static final long SWEEP_AGAIN_MILLIS = 1500;

    private final HubContext mcp;
    private final Vertx vertx;

    RevokedKeyDisconnector(HubRegistry hubs, Vertx vertx) {
        this.mcp = hubs.context(McpHub.NAME);
        this.vertx = vertx;
    }

    void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) ApiKeyRevoked revoked) {
        LOG.infof("Closing the connections of revoked API key %s", revoked.keyId());
        String userKey = HubUser.userKey(revoked.tenantId(), revoked.keyId());
        mcp.closeUserConnections(userKey, REASON);
        vertx.setTimer(SWEEP_AGAIN_MILLIS, timer -> mcp.closeUserConnections(userKey, REASON));
    }
}
