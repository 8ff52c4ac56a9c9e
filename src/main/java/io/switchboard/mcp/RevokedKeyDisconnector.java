package io.switchboard.mcp;

import io.switchboard.apikey.ApiKeyRevoked;
import io.switchboard.signalr.server.HubContext;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.HubUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

/**
 * A revoked API key keeps no connection: once the revocation is committed, every McpHub connection of
 * the key is closed, through the lifetime manager so it reaches every replica. Repeated revocations
 * simply find nothing left to close.
 */
@ApplicationScoped
class RevokedKeyDisconnector {

    private static final Logger LOG = Logger.getLogger(RevokedKeyDisconnector.class);

    private final HubContext mcp;

    RevokedKeyDisconnector(HubRegistry hubs) {
        this.mcp = hubs.context(McpHub.NAME);
    }

    void onRevoked(@Observes(during = TransactionPhase.AFTER_SUCCESS) ApiKeyRevoked revoked) {
        LOG.infof("Closing the connections of revoked API key %s", revoked.keyId());
        mcp.closeUserConnections(HubUser.userKey(revoked.tenantId(), revoked.keyId()), "The API key was revoked.");
    }
}
