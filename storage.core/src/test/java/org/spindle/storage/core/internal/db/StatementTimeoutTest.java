package org.spindle.storage.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.core.internal.volume.PostgresSupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Every statement of the store stops at {@code statement.timeout.seconds} and fails as {@code UNAVAILABLE}, on a pooled
 * connection that served other statements before as on a new one; and on H2, whose timeout belongs to the session, a
 * connection is given it once, not at every statement (each {@code SET QUERY_TIMEOUT} empties the statement cache of
 * every session of the database: every statement was parsed again).
 */
class StatementTimeoutTest {
    /**
     * Long enough to be sure it is the timeout of 1 s that stops it, short enough to end if it does not: counting a cross
     * join of 10⁸ rows (~40 s on a loaded 2-core machine, several seconds on a fast one).
     */
    private static final String SLOW_H2 = "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 10000) a, SYSTEM_RANGE(1, 10000) b";
    private static final int STATEMENTS = 50;

    @TempDir
    Path dir;
    private HikariDataSource pool;

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    @Timeout(120)
    void h2_aStatementOnAConnectionThatServedOthersStopsAtTheTimeout() {
        Jdbc jdbc = new Jdbc(h2(2), 1);
        for (int i = 0; i < STATEMENTS; i++) {
            int n = i;
            assertEquals(List.of(n), jdbc.query("SELECT ?", st -> st.setInt(1, n), rs -> rs.getInt(1)));
        }
        StorageException e = assertThrows(StorageException.class, () -> jdbc.query(SLOW_H2, st -> { }, rs -> rs.getLong(1)));
        assertEquals(StorageException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
    }

    @Test
    void h2_aConnectionIsGivenTheTimeoutOnceNotAtEveryStatement() {
        AtomicInteger given = new AtomicInteger();
        Jdbc jdbc = new Jdbc(countingTimeouts(h2(1), given), 10);
        for (int i = 0; i < STATEMENTS; i++) {
            jdbc.query("SELECT 1", st -> { }, rs -> rs.getInt(1));
            jdbc.transaction(c -> jdbc.update(c, "CREATE TABLE IF NOT EXISTS t(n INT)", st -> { }));
        }
        assertEquals(1, given.get(), "SET QUERY_TIMEOUT on the one connection of the pool");
    }

    @Test
    @Timeout(120)
    void postgres_aStatementOnAConnectionThatServedOthersStopsAtTheTimeout() throws Exception {
        PostgresSupport.serverAnswers();
        DataSource ds = PostgresSupport.freshSchema();
        try {
            Jdbc jdbc = new Jdbc(ds, 1);
            for (int i = 0; i < STATEMENTS; i++) {
                int n = i;
                assertEquals(List.of(n), jdbc.query("SELECT ?", st -> st.setInt(1, n), rs -> rs.getInt(1)));
            }
            StorageException e = assertThrows(StorageException.class, () -> jdbc.query("SELECT pg_sleep(30)", st -> { }, rs -> rs.getString(1)));
            assertEquals(StorageException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
        } finally {
            ((AutoCloseable) ds).close();
        }
    }

    /** An H2 file database as the store opens it, behind a pool of {@code size} connections. */
    private DataSource h2(int size) {
        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(DataSources.url("", dir.toFile()));
        HikariConfig c = new HikariConfig();
        c.setDataSource(raw);
        c.setMaximumPoolSize(size);
        pool = new HikariDataSource(c);
        return pool;
    }

    /** {@code ds} with every {@code setQueryTimeout} on its statements counted in {@code given}. */
    private static DataSource countingTimeouts(DataSource ds, AtomicInteger given) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, args) -> {
            Object r = invoke(ds, m, args);
            return r instanceof Connection c ? proxy(Connection.class, (cp, cm, cargs) -> {
                Object s = invoke(c, cm, cargs);
                return s instanceof PreparedStatement st ? proxy(PreparedStatement.class, (sp, sm, sargs) -> {
                    if (sm.getName().equals("setQueryTimeout")) {
                        given.incrementAndGet();
                    }
                    return invoke(st, sm, sargs);
                }) : s;
            }) : r;
        });
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler h) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
