package io.switchboard.ops;

import io.switchboard.signalr.server.TransientFailures;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises "PostgreSQL cannot be reached" among failures, wherever it was wrapped (Hibernate,
 * Narayana, the security layer): a connection-class SQLState ({@code 08xxx}), a server shutting down
 * or starting ({@code 57P01..57P03}), the pool failing to open a connection or giving up waiting for
 * one. REST answers it {@code 503} and hub methods an error Completion; the failure is temporary and
 * nothing else is wrong.
 */
@ApplicationScoped
public class DatabaseUnavailable implements TransientFailures {

    /** At most this many throwables are looked at (causes and suppressed ones; a cycle must not loop). */
    private static final int MAX_EXAMINED = 64;
    private static final String AGROAL_CONNECTION_FACTORY = "io.agroal.pool.ConnectionFactory";

    @Override
    public boolean isTransient(Throwable failure) {
        return isCauseOf(failure);
    }

    /**
     * True when {@code failure}, one of its causes or one of their suppressed failures says the database
     * cannot be reached. Suppressed ones count because a failed commit arrives as Narayana's
     * {@code RollbackException} with the driver's error under a suppressed {@code XAException}.
     */
    public static boolean isCauseOf(Throwable failure) {
        Deque<Throwable> toExamine = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (failure != null) {
            toExamine.add(failure);
        }
        while (!toExamine.isEmpty() && seen.size() < MAX_EXAMINED) {
            Throwable current = toExamine.poll();
            if (!seen.add(current)) {
                continue;
            }
            if (current instanceof SQLException sql && isUnreachable(sql)) {
                return true;
            }
            if (current.getCause() != null) {
                toExamine.add(current.getCause());
            }
            toExamine.addAll(Arrays.asList(current.getSuppressed()));
        }
        return false;
    }

    private static boolean isUnreachable(SQLException e) {
        String state = e.getSQLState();
        // 08: connection exception; 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now.
        if (e instanceof SQLTransientConnectionException || state != null && (state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"))) {
            return true;
        }
        // Agroal's pool timeouts carry no SQLState: "Sorry, acquisition timeout!", "Acquisition timeout while
        // waiting for new connection".
        String message = e.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout")
                || whileOpeningAConnection(e);
    }

    /**
     * The pool failed to open a connection, whatever the driver called it: when the pool gives up waiting
     * it interrupts the attempt, and the driver reports that as "Something unusual has occurred" (XX000).
     */
    private static boolean whileOpeningAConnection(SQLException e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals(AGROAL_CONNECTION_FACTORY) && frame.getMethodName().equals("createConnection")) {
                return true;
            }
        }
        return false;
    }
}
