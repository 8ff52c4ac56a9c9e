package io.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * Points the application under test at the machine's PostgreSQL and Redis (Dev Services cannot
 * run here), with a database and a Redis key prefix of its own for this test run, so runs never
 * collide. The database is dropped when the run ends.
 *
 * <p>Override the server with {@code -Dswitchboard.test.postgres=jdbc:postgresql://host:port}.
 */
public class LocalServicesTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String SERVER = System.getProperty("switchboard.test.postgres", "jdbc:postgresql://127.0.0.1:5432");
    private static final String USER = System.getProperty("switchboard.test.postgres.user", "postgres");

    private String database;

    @Override
    public Map<String, String> start() {
        String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        database = "switchboard_test_" + runId;
        execute("CREATE DATABASE " + database);
        return Map.of(
                "quarkus.datasource.jdbc.url", SERVER + "/" + database,
                "quarkus.datasource.username", USER,
                "switchboard.redis.key-prefix", "switchboard-test-" + runId + ":");
    }

    @Override
    public void stop() {
        if (database != null) {
            execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "/postgres", USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed for the tests (.ci/run starts it): "
                    + e.getMessage(), e);
        }
    }
}
