package io.switchboard.pendingchange;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The statements on an approval's path reach their row through the primary key whatever the
 * planner believes about the table. Flyway creates the indexes on an empty table, and until
 * autovacuum first analyses it the planner takes every index for empty: with the tenant, status and
 * expiry in its WHERE clause, the decision's UPDATE was planned on {@code pending_change_due} and
 * then scanned every pending change's entry for each approval (4.7 ms each at 15,000 pending, under
 * load). Here the table is a temporary copy, which autovacuum never analyses, filled after its
 * indexes were made, and the plan is the generic one that pgJDBC's prepared statements end up with.
 */
@QuarkusTest
class TransitionQueryPlansTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\?");
    // The decision's UPDATE as it was, with every condition in its WHERE clause.
    private static final String DECIDE_BEFORE = """
            UPDATE pending_change
               SET status = ?, decided_at = ?, decided_by = ?, reason = ?,
                   execution_result = CAST(? AS jsonb), announce_due_at = ?
             WHERE id = ? AND tenant_id = ? AND status = 'Pending' AND expires_at > ?
            RETURNING *""";

    @Inject
    DataSource dataSource;

    @Test
    void theCopyStillMisleadsThePlannerAsTheRealTableDid() throws SQLException {
        // Without this, the tests below could pass on a copy that no longer shows the problem.
        String plan = genericPlanOnAFreshCopy(DECIDE_BEFORE);
        assertFalse(plan.contains("Index Cond: (id = $"), () -> "the copy no longer misleads the planner:\n" + plan);
    }

    @Test
    void aDecisionLocksAndUpdatesItsRowByThePrimaryKeyOnly() throws SQLException {
        String plan = genericPlanOnAFreshCopy(PendingChangeService.DECIDE);
        assertPrimaryKeyPlan(PendingChangeService.DECIDE);
        // The lock and the update each find the row by its key; nothing else is scanned.
        assertTrue(plan.lines().filter(line -> line.contains("Index Scan using pending_change_pkey")).count() >= 2,
                () -> "the lock and the update both by the primary key, planned:\n" + plan);
        assertTrue(plan.lines().filter(line -> line.contains("Scan")).allMatch(line ->
                        line.contains("pending_change_pkey") || line.contains("CTE Scan")),
                () -> "no other index or table scan, planned:\n" + plan);
    }

    @Test
    void readingAStatusUsesThePrimaryKey() throws SQLException {
        assertPrimaryKeyPlan(PendingChangeService.STATUS);
    }

    @Test
    void readingAChangeForASubscriptionUsesThePrimaryKey() throws SQLException {
        assertPrimaryKeyPlan(PendingChangeService.FOR_SUBSCRIBER);
    }

    private void assertPrimaryKeyPlan(String sql) throws SQLException {
        String plan = genericPlanOnAFreshCopy(sql);
        assertTrue(plan.contains("Index Cond: (id = $"),
                () -> "expected a look-up by the primary key, planned:\n" + plan);
    }

    private String genericPlanOnAFreshCopy(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                // Unqualified names find the temporary table first.
                statement.execute("CREATE TEMP TABLE pending_change (LIKE " + schema(statement)
                        + ".pending_change INCLUDING ALL) ON COMMIT DROP");
                statement.execute("""
                        INSERT INTO pending_change (id, tenant_id, api_key_id, tool_name, operation, entity_type,
                                                    status, created_at, expires_at)
                        SELECT gen_random_uuid(), 'tenant', 'key', 'tool', 'UPDATE', 'Order', 'Pending',
                               now(), now() + interval '1 hour'
                          FROM generate_series(1, 5000)""");
                statement.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                int parameters = numbered(sql).parameters();
                statement.execute("PREPARE planned AS " + numbered(sql).text());
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = statement.executeQuery(
                        "EXPLAIN EXECUTE planned(" + String.join(", ", java.util.Collections.nCopies(parameters, "NULL")) + ")")) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                connection.rollback();
                // A prepared statement outlives the transaction; the pooled connection must not keep it.
                statement.execute("DEALLOCATE ALL");
                connection.setAutoCommit(true);
            }
        }
    }

    private static String schema(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT current_schema()")) {
            row.next();
            return row.getString(1);
        }
    }

    private record Numbered(String text, int parameters) {
    }

    /** JDBC's {@code ?} placeholders as PostgreSQL's {@code $1, $2, …}. */
    private static Numbered numbered(String sql) {
        Matcher placeholder = PLACEHOLDER.matcher(sql);
        StringBuilder text = new StringBuilder();
        int count = 0;
        while (placeholder.find()) {
            placeholder.appendReplacement(text, Matcher.quoteReplacement("$" + ++count));
        }
        placeholder.appendTail(text);
        return new Numbered(text.toString(), count);
    }
}
