package io.switchboard.ops;

import io.switchboard.signalr.server.HubException;
import io.switchboard.signalr.server.HubFilter;
import io.switchboard.signalr.server.HubUnavailableException;
import io.switchboard.signalr.server.TransientFailures;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;

/**
 * A hub method, {@code onConnected} or {@code onDisconnected} that failed because PostgreSQL cannot be
 * reached ({@link DatabaseUnavailable}) fails "temporarily": the engine answers the invocation with
 * {@link TransientFailures#MESSAGE} (counted {@code outcome=unavailable}), closes a connection whose
 * {@code onConnected} failed with {@code allowReconnect}, and logs nothing at ERROR (docs/faults.md).
 * Any other failure goes on unchanged.
 *
 * <p>Inside {@code CapacityHubFilter}, outside every other filter, so it sees their failures too.
 */
@Singleton
@Priority(DatabaseOutageHubFilter.PRIORITY)
class DatabaseOutageHubFilter implements HubFilter {

    /** Below {@code CapacityHubFilter} (2000), above every other filter. */
    static final int PRIORITY = 1000;

    @Override
    public <T> T around(Next<T> next) throws Exception {
        try {
            return next.proceed();
        } catch (HubException e) {
            throw e; // already the caller's answer
        } catch (Exception e) {
            if (DatabaseUnavailable.isCauseOf(e)) {
                throw new HubUnavailableException(TransientFailures.MESSAGE, e);
            }
            throw e;
        }
    }
}
