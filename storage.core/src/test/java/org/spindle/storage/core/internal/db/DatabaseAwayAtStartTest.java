package org.spindle.storage.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

/**
 * Issue 8: a node that starts while its database is away starts anyway, answers UNAVAILABLE saying why, migrates
 * the schema once the database is back and runs what waited for it (a pool's row, say); a real migration failure
 * still fails the start.
 */
class DatabaseAwayAtStartTest {

    /** A database that refuses connections while {@link #away} is set, as one whose server is down. */
    private static final class Switchable implements DataSource {
        final JdbcDataSource h2 = new JdbcDataSource();
        volatile boolean away = true;

        Switchable() {
            h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (away) {
                throw new SQLTransientConnectionException("Connection refused: the server is down", "08001");
            }
            return h2.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void aNodeStartsWhileItsDatabaseIsAway_answersUnavailable_andCatchesUpWhenItIsBack() throws Exception {
        Switchable db = new Switchable();
        JdbcStore store = new JdbcStore(db, "node-a", 60, 10);
        try {
            StorageException e = assertThrows(StorageException.class, store::pools);
            assertEquals(Reason.UNAVAILABLE, e.reason());
            assertTrue(e.getMessage().contains("unreachable since") && e.getMessage().contains("server is down"), e.getMessage());
            List<String> ran = new CopyOnWriteArrayList<>();
            store.whenReady(() -> ran.add("pool row"));
            assertTrue(ran.isEmpty(), "nothing runs before the database is back");

            db.away = false;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ran.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(List.of("pool row"), ran, "what waited ran once the schema was migrated");
            assertTrue(store.pools().isEmpty(), "the store serves");
            store.whenReady(() -> ran.add("now"));
            assertEquals(List.of("pool row", "now"), ran, "once ready, at once");
        } finally {
            store.close();
        }
    }

    @Test
    void aBrokenDatabase_stillFailsTheStart() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        // a schema history of a newer Spindle: not unavailability, so no waiting
        assertThrows(RuntimeException.class, () -> {
            try (Connection c = h2.getConnection()) {
                c.createStatement().execute("CREATE TABLE \"spindle_schema_history\" (x INT)");
            }
            new JdbcStore(h2, "node-b", 60, 10).close();
        });
    }
}
