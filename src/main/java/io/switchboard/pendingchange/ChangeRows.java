package io.switchboard.pendingchange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Runs a pending change's statements (proposal, transitions, announcement bookkeeping) with plain JDBC
 * on a pooled connection and reads the rows they return: inside the caller's transaction when there is
 * one (the pool enlists the connection in it, and it commits with it), otherwise each statement commits
 * by itself, in one round trip. Hibernate's native-query result mapping did the same but resolved the
 * mapping again on every execution (the largest single cost of an approval after JWT verification),
 * and made each returned row a managed entity to be dirty-checked at commit for nothing: transitions
 * never change a row through the entity. So no Hibernate session is opened, flushed and closed for a
 * statement that never needed one.
 */
final class ChangeRows {

    /** Binds a statement's parameters, in order. */
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private ChangeRows() {
    }

    /** Reads one row of a result into a value. */
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Inside a transaction the connection is enlisted in it and commits with it. */
    static List<PendingChangeEntity> updateReturning(DataSource dataSource, String sql, Binder binder) {
        return query(dataSource, sql, binder, ChangeRows::read);
    }

    /**
     * Runs {@code sql} on a pooled connection (the caller's transaction's, when there is one) and reads
     * every row it returns.
     */
    static <T> List<T> query(DataSource dataSource, String sql, Binder binder, RowReader<T> reader) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            List<T> rows = new ArrayList<>(1);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(reader.read(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            // The cause stays reachable: DatabaseUnavailable recognises an unreachable database by it.
            throw new IllegalStateException("A pending-change statement failed: " + e.getMessage(), e);
        }
    }

    /** Runs a statement that returns no rows; answers how many rows it changed. */
    static int update(DataSource dataSource, String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("A pending-change statement failed: " + e.getMessage(), e);
        }
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static PendingChangeEntity read(ResultSet row) throws SQLException {
        PendingChangeEntity change = new PendingChangeEntity();
        change.id = row.getObject("id", UUID.class);
        change.tenantId = row.getString("tenant_id");
        change.apiKeyId = row.getString("api_key_id");
        change.proposedByName = row.getString("proposed_by_name");
        change.toolName = row.getString("tool_name");
        change.operation = Operation.valueOf(row.getString("operation"));
        change.entityType = row.getString("entity_type");
        change.entityId = row.getString("entity_id");
        change.beforeState = row.getString("before_state");
        change.afterState = row.getString("after_state");
        change.status = PendingChangeStatus.valueOf(row.getString("status"));
        change.createdAt = instant(row, "created_at");
        change.expiresAt = instant(row, "expires_at");
        change.decidedAt = instant(row, "decided_at");
        change.decidedBy = row.getString("decided_by");
        change.reason = row.getString("reason");
        change.executionResult = row.getString("execution_result");
        return change;
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
