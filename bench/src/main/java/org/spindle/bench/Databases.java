package org.spindle.bench;

import java.io.File;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.spindle.storage.core.internal.db.BenchRows;
import org.spindle.test.support.TestPostgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The databases a figure runs on, as the core uses them in production: an embedded H2 file (durable commits) or
 * PostgreSQL, each behind the HikariCP pool the core makes (8 connections). PostgreSQL is the server of
 * {@code scripts/postgres.sh} ({@link TestPostgres}), each run in a fresh schema.
 */
final class Databases {
    /** H2's "database is already closed" (its last connection closed it): nothing left to shut down. */
    private static final int ALREADY_CLOSED = 90121;

    private Databases() {
    }

    /** A database: where it is, and how to open a pool on it (again, after a restart). */
    interface Db {
        String label();

        HikariDataSource open();

        /**
         * Closes the database after its last use by a node: an embedded H2 file database is shut down at once (closing
         * its last connection may otherwise leave its files locked while H2 compacts them, and the next start fails).
         */
        default void shutdown(HikariDataSource db) {
        }

        /**
         * After a bulk fill: the planner's statistics brought up to date, as a database that grew over months has them
         * (PostgreSQL's autovacuum would analyze later; H2 keeps selectivity from ANALYZE too).
         */
        default void analyze(HikariDataSource db) {
            try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                st.execute(label().equals("H2") ? "ANALYZE" : "ANALYZE volume");
            } catch (SQLException e) {
                throw new IllegalStateException("ANALYZE failed on " + label() + ": " + e.getMessage(), e);
            }
        }
    }

    /** A fresh embedded H2 file database under {@code dir}. */
    static Db h2(File dir, String name) {
        String settings = System.getProperty("spindle.bench.h2.settings", "");
        return h2(dir, name, settings, settings.isEmpty() ? "H2" : "H2 (" + settings + ")");
    }

    /**
     * A fresh embedded H2 file database under {@code dir}, its URL ending with {@code settings} (which the core's own
     * settings do not override), labelled {@code label} in the results.
     */
    static Db h2(File dir, String name, String settings, String label) {
        File base = new File(dir, name + "-" + Long.toHexString(System.nanoTime()));
        String url = BenchRows.h2FileUrl(new File(base.getPath() + settings));
        return new Db() {
            @Override
            public String label() {
                return label;
            }

            @Override
            public HikariDataSource open() {
                JdbcDataSource raw = new JdbcDataSource();
                raw.setURL(url);
                return pooled(raw);
            }

            @Override
            public void shutdown(HikariDataSource db) {
                try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
                    st.execute("SHUTDOWN");
                } catch (SQLException e) {
                    if (e.getErrorCode() != ALREADY_CLOSED) {
                        throw new IllegalStateException("H2 at " + url + " did not shut down: " + e.getMessage(), e);
                    }
                }
            }
        };
    }

    /** A fresh schema on the PostgreSQL server; {@code null} when the server does not answer. */
    static Db postgres() {
        String schema = "bench" + Long.toHexString(System.nanoTime());
        try (Connection c = TestPostgres.dataSource(null).getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            return null;
        }
        return new Db() {
            @Override
            public String label() {
                return "PostgreSQL";
            }

            @Override
            public HikariDataSource open() {
                return pooled(TestPostgres.dataSource(schema));
            }
        };
    }

    static String postgresMissing() {
        return "PostgreSQL at " + TestPostgres.url() + " does not answer; start it with scripts/postgres.sh start";
    }

    /** Connections in the pool: the core's {@code pool.size} default (16), or {@code -Dspindle.bench.pool.size}. */
    static int poolSize() {
        return Integer.getInteger("spindle.bench.pool.size", 16);
    }

    /** The pool the core makes by default (DataSources.pooled: {@link #poolSize()} connections, autocommit). */
    private static HikariDataSource pooled(DataSource raw) {
        HikariConfig c = new HikariConfig();
        c.setDataSource(raw);
        c.setPoolName("spindle-bench-db");
        c.setMaximumPoolSize(poolSize());
        c.setMinimumIdle(1);
        c.setConnectionTimeout(30_000);
        c.setAutoCommit(true);
        return new HikariDataSource(c);
    }
}
