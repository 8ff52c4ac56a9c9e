package io.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchboard.signalr.server.HubException;
import io.switchboard.signalr.server.HubUnavailableException;
import io.switchboard.signalr.server.TransientFailures;
import java.sql.SQLException;
import jakarta.persistence.PersistenceException;
import org.junit.jupiter.api.Test;

/**
 * A hub method or connection event that failed because PostgreSQL is away fails "temporarily", with the
 * sentence clients read; anything else goes on as it was.
 */
class DatabaseOutageHubFilterTest {

    private final DatabaseOutageHubFilter filter = new DatabaseOutageHubFilter();
    private static final PersistenceException OUTAGE = new PersistenceException("query failed",
            new SQLException("Connection refused", "08001"));

    @Test
    void aDatabaseOutageBecomesATemporaryFailureWithTheSentenceClientsRead() {
        HubUnavailableException invocation = assertThrows(HubUnavailableException.class,
                () -> filter.invoke(null, () -> {
                    throw OUTAGE;
                }));
        assertEquals(TransientFailures.MESSAGE, invocation.getMessage());
        assertSame(OUTAGE, invocation.getCause());
        assertThrows(HubUnavailableException.class, () -> filter.onConnected(null, () -> {
            throw OUTAGE;
        }));
        assertThrows(HubUnavailableException.class, () -> filter.onDisconnected(null, () -> {
            throw OUTAGE;
        }));
    }

    @Test
    void otherFailuresAndAnswersPassUnchanged() throws Exception {
        assertEquals("ok", filter.invoke(null, () -> "ok"));
        IllegalStateException bug = new IllegalStateException("a bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> filter.invoke(null, () -> {
            throw bug;
        })));
        HubException refusal = new HubException("Pending change not found.");
        assertSame(refusal, assertThrows(HubException.class, () -> filter.onConnected(null, () -> {
            throw refusal;
        })));
    }
}
