package io.switchboard.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.transaction.xa.XAException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures mean "PostgreSQL cannot be reached", as the driver, the pool and Hibernate report them. */
class DatabaseUnavailableTest {

    @Test
    void aConnectionFailureIsRecognisedThroughTheLayersThatWrapIt() {
        PSQLException refused = new PSQLException("Connection to 127.0.0.1:5432 refused.",
                PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException("Connection refused"));
        assertTrue(DatabaseUnavailable.isCauseOf(refused));
        assertTrue(DatabaseUnavailable.isCauseOf(new PersistenceException("query failed",
                new JDBCConnectionException("Unable to acquire JDBC Connection", refused))));
        assertTrue(DatabaseUnavailable.isCauseOf(new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE)));
        assertTrue(DatabaseUnavailable.isCauseOf(new SQLTransientConnectionException("gone")));
    }

    @Test
    void aServerThatIsShuttingDownOrStartingIsUnavailable() {
        assertTrue(DatabaseUnavailable.isCauseOf(new SQLException("terminating connection due to administrator command",
                "57P01")));
        assertTrue(DatabaseUnavailable.isCauseOf(new SQLException("the database system is starting up", "57P03")));
    }

    @Test
    void thePoolGivingUpWaitingForAConnectionIsUnavailable() {
        // Agroal's messages; they carry no SQLState.
        assertTrue(DatabaseUnavailable.isCauseOf(new PersistenceException(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(DatabaseUnavailable.isCauseOf(new SQLException("Acquisition timeout while waiting for new connection")));
    }

    @Test
    void anyFailureOfThePoolToOpenAConnectionIsUnavailable() {
        // When the pool gives up waiting it interrupts the attempt; the driver calls that "Something unusual".
        PSQLException interrupted = new PSQLException("Something unusual has occurred to cause the driver to fail.",
                PSQLState.UNEXPECTED_ERROR, new RuntimeException("Interrupted while attempting to connect."));
        interrupted.setStackTrace(new StackTraceElement[]{
                new StackTraceElement("org.postgresql.Driver", "connect", "Driver.java", 1),
                new StackTraceElement("io.agroal.pool.ConnectionFactory", "createConnection", "ConnectionFactory.java", 1)});
        assertTrue(DatabaseUnavailable.isCauseOf(new PersistenceException(interrupted)));
        assertFalse(DatabaseUnavailable.isCauseOf(new PSQLException("Something unusual has occurred to cause the driver "
                + "to fail.", PSQLState.UNEXPECTED_ERROR)), "the same failure of a query, not of opening a connection");
    }

    @Test
    void aCommitThatCouldNotReachTheDatabaseIsUnavailable() {
        // Narayana reports the failed commit as a RollbackException; the driver's failure is a suppressed
        // XAException's cause, not in the cause chain (seen in DatabaseOutageIT when OnDisconnected committed).
        XAException commitFailed = new XAException("Error trying to transactionCommit local transaction: "
                + "An I/O error occurred while sending to the backend.");
        commitFailed.initCause(new PSQLException("An I/O error occurred while sending to the backend.",
                PSQLState.CONNECTION_FAILURE));
        RollbackException rollback = new RollbackException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(commitFailed);
        assertTrue(DatabaseUnavailable.isCauseOf(new RuntimeException("Error invoking subclass method", rollback)));
        RollbackException other = new RollbackException("ARJUNA016053: Could not commit transaction.");
        other.addSuppressed(new IllegalStateException("a bug"));
        assertFalse(DatabaseUnavailable.isCauseOf(other));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(DatabaseUnavailable.isCauseOf(new ConstraintViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505"), "pk")));
        assertFalse(DatabaseUnavailable.isCauseOf(new SQLException("syntax error", "42601")));
        assertFalse(DatabaseUnavailable.isCauseOf(new SQLException("no state")));
        assertFalse(DatabaseUnavailable.isCauseOf(new IllegalStateException("a bug")));
        assertFalse(DatabaseUnavailable.isCauseOf(null));
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        first.addSuppressed(second);
        assertFalse(DatabaseUnavailable.isCauseOf(first));
    }
}
