package io.switchboard.mcp;

import io.switchboard.apikey.ApiKeyRevoked;
import io.switchboard.apikey.RecentlyValidKeys;
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
 * still accept the key for a moment from its {@link RecentlyValidKeys}, so the close is repeated once
 * that has passed (within the 2 s docs/api.md promises). Repeated revocations simply find nothing left to close.
 */
@ApplicationScoped
class RevokedKeyDisconnector {

    private static final Logger LOG = Logger.getLogger(RevokedKeyDisconnector.class);

    private static final String REASON = "The API key was revoked.";
    /** After every replica's memory of the key has run out. */
    static final long SWEEP_AGAIN_MILLIS = RecentlyValidKeys.TRUST_NANOS / 1_000_000 + 500;

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
