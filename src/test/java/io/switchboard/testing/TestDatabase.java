package io.switchboard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL database of one test run on the machine's server (Dev Services cannot run here), so
 * runs never collide. Override the server with {@code -Dswitchboard.test.postgres=jdbc:postgresql://host:port}.
 */
public final class TestDatabase {

    public static final String SERVER = System.getProperty("switchboard.test.postgres", "jdbc:postgresql://127.0.0.1:5432");
    public static final String USER = System.getProperty("switchboard.test.postgres.user", "postgres");

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() {
        String name = "switchboard_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        return new TestDatabase(name);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return SERVER + "/" + name;
    }

    public void drop() {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "/postgres", USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed for the tests (.ci/services starts it): "
                    + e.getMessage(), e);
        }
    }
}
