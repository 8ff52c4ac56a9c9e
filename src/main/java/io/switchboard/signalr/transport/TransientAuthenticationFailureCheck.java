package io.switchboard.signalr.transport;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.switchboard.signalr.server.HubRegistry;
import io.switchboard.signalr.server.TransientFailures;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses a WebSocket upgrade on a hub path with {@code 503} and {@code Retry-After} when its credential
 * could not be checked for the moment (an API key while the database is away), as negotiate is
 * refused. Runs before every other upgrade check, websockets-next's role check included, which would
 * otherwise turn the failure into a {@code 500}. Any other outcome is left to {@link HubUpgradeCheck}.
 */
@ApplicationScoped
@Priority(TransientAuthenticationFailureCheck.PRIORITY)
public class TransientAuthenticationFailureCheck implements HttpUpgradeCheck {

    /** Above websockets-next's SecurityHttpUpgradeCheck ({@code Integer.MAX_VALUE - 100}). */
    static final int PRIORITY = Integer.MAX_VALUE - 50;

    private final HubRegistry hubs;

    TransientAuthenticationFailureCheck(HubRegistry hubs) {
        this.hubs = hubs;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (hubs.handlerForPath(context.httpRequest().path()).isEmpty()) {
            return CheckResult.permitUpgrade();
        }
        // The identity is computed once per request (memoized): the later checks get the same outcome.
        return context.securityIdentity()
                .map(identity -> CheckResult.permitUpgradeSync())
                .onFailure(hubs::isTransient).recoverWithItem(RefusalResponses.rejectUpgrade(TransientFailures.refusal()))
                .onFailure().recoverWithItem(CheckResult.permitUpgradeSync());
    }
}
