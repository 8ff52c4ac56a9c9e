package io.switchboard.testing;

import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;

/** The PostgreSQL driver with a test's own {@code connect}: what a test profile names as the data source's driver. */
abstract class WrappedPostgreSqlDriver implements Driver {

    static final Driver POSTGRESQL = new org.postgresql.Driver();

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return POSTGRESQL.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return POSTGRESQL.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return POSTGRESQL.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return POSTGRESQL.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return POSTGRESQL.getParentLogger();
    }
}
