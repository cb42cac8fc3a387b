package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.spindle.test.support.TestPostgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * PostgreSQL (the multi-node database) for the lifecycle tests, each test in a fresh schema. Needs the server
 * that {@code scripts/postgres.sh start} runs ({@link TestPostgres}); with
 * {@code -Dspindle.require.postgres=true} (CI) a missing server fails the tests instead of skipping them.
 */
public final class PostgresSupport {
    private PostgresSupport() {
    }

    public static void serverAnswers() {
        try (Connection c = TestPostgres.dataSource(null).getConnection()) {
            c.isValid(2);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + TestPostgres.url() + " does not answer (" + e.getMessage() + "); start it with scripts/postgres.sh start";
            if (Boolean.getBoolean("spindle.require.postgres")) {
                fail(why);
            }
            assumeTrue(false, why);
        }
    }

    /**
     * A fresh schema behind a small connection pool, as the store has in production (a connection per statement
     * costs a PostgreSQL backend's start each time); the fixture closes it after the test.
     */
    public static DataSource freshSchema() throws SQLException {
        String schema = "t" + Long.toHexString(System.nanoTime());
        try (Connection c = TestPostgres.dataSource(null).getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(TestPostgres.dataSource(schema));
        pool.setMaximumPoolSize(8);
        pool.setMinimumIdle(0);
        pool.setPoolName("test-" + schema);
        return new HikariDataSource(pool);
    }
}
