package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * PostgreSQL (the multi-node database) for the lifecycle tests, each test in a fresh schema. Needs the server
 * that {@code scripts/postgres.sh start} runs (database and user {@code spindle} on 127.0.0.1:5432); with
 * {@code -Dspindle.require.postgres=true} (CI) a missing server fails the tests instead of skipping them.
 */
public final class PostgresSupport {
    private static final String URL = System.getProperty("spindle.postgres.url", "jdbc:postgresql://127.0.0.1:5432/spindle");

    private PostgresSupport() {
    }

    public static void serverAnswers() {
        try (Connection c = base(null).getConnection()) {
            c.isValid(2);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + URL + " does not answer (" + e.getMessage() + "); start it with scripts/postgres.sh start";
            if (Boolean.getBoolean("spindle.require.postgres")) {
                fail(why);
            }
            assumeTrue(false, why);
        }
    }

    /**
     * The password of the test server's role spindle: {@code -Dspindle.postgres.password}, or the random one
     * {@code scripts/postgres.sh start} made and keeps in {@code /run/spindle-postgres/password} (none is known in advance).
     */
    static String password() {
        String given = System.getProperty("spindle.postgres.password");
        if (given != null) {
            return given;
        }
        java.nio.file.Path file = java.nio.file.Paths.get(System.getProperty("spindle.postgres.password.file", "/run/spindle-postgres/password"));
        try {
            return java.nio.file.Files.readString(file).trim();
        } catch (java.io.IOException e) {
            return "";  // the server then refuses the login, and the caller reports it: start it with scripts/postgres.sh start
        }
    }

    private static PGSimpleDataSource base(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(URL);
        ds.setUser("spindle");
        ds.setPassword(password());
        ds.setConnectTimeout(3);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }

    /**
     * A fresh schema behind a small connection pool, as the store has in production (a connection per statement
     * costs a PostgreSQL backend's start each time); the fixture closes it after the test.
     */
    public static DataSource freshSchema() throws SQLException {
        String schema = "t" + Long.toHexString(System.nanoTime());
        try (Connection c = base(null).getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(base(schema));
        pool.setMaximumPoolSize(8);
        pool.setMinimumIdle(0);
        pool.setPoolName("test-" + schema);
        return new HikariDataSource(pool);
    }
}
