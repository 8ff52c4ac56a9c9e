package io.switchboard.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The PostgreSQL driver, taking {@link #OPENING} longer to open each connection: what opening one cost
 * on the benchmark machine with both cores saturated (a backend forked, SCRAM on both sides, pgJDBC's
 * login-timeout thread), here on a quiet one. An interrupt while it waits is kept for the real driver,
 * which then fails the way it does when interrupted in its own login wait ("Something unusual has
 * occurred to cause the driver to fail"). A test profile makes it the data source's driver
 * ({@code quarkus.datasource.jdbc.driver}).
 */
public final class SlowlyConnectingDriver extends WrappedPostgreSqlDriver {

    public static final long OPENING = 150;


    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        try {
            Thread.sleep(OPENING);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return POSTGRESQL.connect(url, info);
    }
}
