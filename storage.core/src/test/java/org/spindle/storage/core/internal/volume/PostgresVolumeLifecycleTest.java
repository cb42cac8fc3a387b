package org.spindle.storage.core.internal.volume;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The same lifecycle tests on PostgreSQL (the multi-node database), each in a fresh schema: the Flyway schema,
 * the compare-and-set updates and the unique live names must behave as on H2. Needs the server that
 * {@code scripts/postgres.sh start} runs (database and user {@code spindle} on 127.0.0.1:5432); with
 * {@code -Dspindle.require.postgres=true} (CI) a missing server fails the tests instead of skipping them.
 */
class PostgresVolumeLifecycleTest extends VolumeLifecycleTest {
    private static final String URL = System.getProperty("spindle.postgres.url", "jdbc:postgresql://127.0.0.1:5432/spindle");

    @BeforeAll
    static void serverAnswers() {
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

    private static PGSimpleDataSource base(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(URL);
        ds.setUser("spindle");
        ds.setPassword("spindle");
        ds.setConnectTimeout(3);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }

    @Override
    protected DataSource dataSource() throws Exception {
        String schema = "t" + Long.toHexString(System.nanoTime());
        try (Connection c = base(null).getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return base(schema);
    }
}
