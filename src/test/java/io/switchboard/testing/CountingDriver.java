package io.switchboard.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * The PostgreSQL driver, counting what reaches the database: every statement (the {@code BEGIN} pgJDBC
 * sends ahead of a transaction's first one, and {@code COMMIT}/{@code ROLLBACK}, included) and every
 * round trip (pgJDBC sends a transaction's {@code BEGIN} together with its first statement: one round
 * trip for both). A test profile makes it the data source's driver
 * ({@code quarkus.datasource.jdbc.driver}); a test reads what one operation cost with
 * {@link #reset()} and {@link #work()}.
 */
public final class CountingDriver extends WrappedPostgreSqlDriver {

    /** What the database was asked since the last {@link #reset()}. */
    public record Work(List<String> statements, int roundTrips) {
        @Override
        public String toString() {
            return statements.size() + " statements in " + roundTrips + " round trips: " + String.join(" | ", statements);
        }
    }

    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");
    private static final List<String> statements = new ArrayList<>();
    private static int roundTrips;

    public static synchronized void reset() {
        statements.clear();
        roundTrips = 0;
    }

    public static synchronized Work work() {
        return new Work(List.copyOf(statements), roundTrips);
    }

    private static synchronized void record(List<String> sent) {
        for (String sql : sent) {
            statements.add(sql.strip().replaceAll("\\s+", " "));
        }
        roundTrips++;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection real = POSTGRESQL.connect(url, info);
        return real == null ? null : (Connection) Proxy.newProxyInstance(CountingDriver.class.getClassLoader(),
                new Class<?>[]{Connection.class}, new Counted(real, real));
    }

    /** A connection, or a statement of one, whose calls that reach the database are counted. */
    private static final class Counted implements InvocationHandler {

        private final Object target;
        private final Connection connection;
        private final List<String> batch = new ArrayList<>();
        private String sql;

        Counted(Object target, Connection connection) {
            this.target = target;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (target == connection) {
                beforeConnectionCall(name, args);
            } else if (EXECUTE.contains(name)) {
                List<String> sent = new ArrayList<>(2);
                begin(sent);
                sent.add(args != null && args.length > 0 && args[0] instanceof String text ? text : sql);
                record(sent);
            } else if (name.equals("addBatch")) {
                batch.add(args != null && args.length > 0 ? (String) args[0] : sql);
            } else if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                List<String> sent = new ArrayList<>();
                begin(sent);
                sent.addAll(batch);
                batch.clear();
                record(sent);
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (target == connection && result instanceof Statement statement) {
                Class<?> type = result instanceof CallableStatement ? CallableStatement.class
                        : result instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
                Counted counted = new Counted(statement, connection);
                counted.sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                return Proxy.newProxyInstance(CountingDriver.class.getClassLoader(), new Class<?>[]{type}, counted);
            }
            return result;
        }

        private void beforeConnectionCall(String name, Object[] args) throws SQLException {
            switch (name) {
                case "commit" -> endTransaction("COMMIT");
                case "rollback" -> endTransaction(args == null ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT");
                case "setAutoCommit" -> {
                    if (Boolean.TRUE.equals(args[0]) && !connection.getAutoCommit()) {
                        endTransaction("COMMIT");
                    }
                }
                case "isValid" -> record(List.of("-- isValid"));
                case "getTransactionIsolation" -> record(List.of("SHOW TRANSACTION ISOLATION LEVEL"));
                case "setTransactionIsolation" -> record(List.of("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL …"));
                default -> {
                }
            }
        }

        /** pgJDBC sends COMMIT or ROLLBACK only when a transaction is open. */
        private void endTransaction(String command) throws SQLException {
            if (connection.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                record(List.of(command));
            }
        }

        /** The BEGIN pgJDBC sends with a transaction's first statement. */
        private void begin(List<String> sent) throws SQLException {
            if (!connection.getAutoCommit()
                    && connection.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE) {
                sent.add("BEGIN");
            }
        }
    }
}
