package org.spindle.storage.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.storage.core.internal.volume.PostgresSupport;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Group commit ({@link CommitGroups}): the transactions that queue while a commit runs share the next one; one that fails
 * is undone alone and its caller alone gets the failure; a failed commit fails its whole batch and keeps none of it; a
 * transaction cannot start another; the store groups commits on an embedded database only. Each test holds the first
 * transaction open until the others are queued, so that the batches are known, not left to timing.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CommitGroupsTest {
    @TempDir
    Path dir;
    private HikariDataSource pool;
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    /** The commit attempt (counted from 1) that fails and rolls back instead, 0 for none. */
    private volatile int failAttempt;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws SQLException {
        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(DataSources.url("", dir.toFile()));
        pool = DataSources.pooled(raw, 8, 5);
        try (Connection c = pool.getConnection()) {
            c.createStatement().execute("CREATE TABLE t (name VARCHAR(32) PRIMARY KEY)");
            c.createStatement().execute("CREATE TABLE counter (n INT)");
            c.createStatement().execute("INSERT INTO counter VALUES (0)");
        }
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        pool.close();
    }

    @Test
    void theTransactionsQueuedDuringACommitShareTheNextOne() throws Exception {
        assertEquals(2, commitsOfOneHeldAndFiveQueued(64), "one commit for the first transaction, one for the five queued behind it");
        assertEquals(Set.of("first", "q0", "q1", "q2", "q3", "q4"), names());
    }

    @Test
    void aBatchCarriesAtMostMaxBatchTransactions() throws Exception {
        assertEquals(4, commitsOfOneHeldAndFiveQueued(2), "the first alone, then the five queued two at a time");
        assertEquals(6, names().size());
    }

    /** A transaction held open while five more queue behind it, then released: the commits the six took, once all returned. */
    private int commitsOfOneHeldAndFiveQueued(int maxBatch) throws Exception {
        CommitGroups groups = new CommitGroups(counted(pool), maxBatch);
        Held first = holdFirst(groups);
        List<Future<String>> queued = queue(groups, 5, n -> insert(n));
        first.release();
        for (Future<String> f : queued) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals("first", first.done.get(10, TimeUnit.SECONDS));
        return commits.get();
    }

    @Test
    void aTransactionThatThrowsIsUndoneAloneAndOnlyItsCallerGetsTheFailure() throws Exception {
        CommitGroups groups = new CommitGroups(counted(pool), 64);
        Held first = holdFirst(groups);
        IllegalStateException refused = new IllegalStateException("q1 refused");
        List<Future<String>> queued = queue(groups, 3, n -> c -> {
            insert(n).apply(c);
            bump(c);
            if (n.equals("q1")) {
                throw refused;
            }
            return n;
        });
        first.release();
        assertEquals("q0", queued.get(0).get(10, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(1).get(10, TimeUnit.SECONDS));
        assertSame(refused, e.getCause());
        assertEquals("q2", queued.get(2).get(10, TimeUnit.SECONDS));
        assertEquals(2, commits.get());
        assertEquals(Set.of("first", "q0", "q2"), names(), "q1's row is undone, the rows of the others in its batch are not");
        assertEquals(2, counter(), "q1's update of a row the others updated too is undone, theirs are not");
    }

    @Test
    void aCommitThatFailsFailsEveryTransactionOfItsBatchAndKeepsNoneOfIt() throws Exception {
        CommitGroups groups = new CommitGroups(counted(pool), 64);
        Held first = holdFirst(groups);
        List<Future<String>> queued = queue(groups, 3, n -> insert(n));
        failAttempt = attempts.get() + 2;    // the first's commit, then the one of the three queued behind it
        first.release();
        assertEquals("first", first.done.get(10, TimeUnit.SECONDS));
        for (Future<String> f : queued) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SQLException.class, e.getCause(), "each caller of the batch gets the commit's failure");
        }
        assertEquals(Set.of("first"), names(), "nothing of the failed batch is kept");
        assertEquals("after", groups.transaction(insert("after")), "the groups serve on after it");
        assertEquals(Set.of("after", "first"), names());
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)    // waiting for itself would never end
    void aTransactionThatStartsAnotherFailsInsteadOfWaitingForItself() throws Exception {
        CommitGroups groups = new CommitGroups(pool, 64);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> groups.transaction(c -> groups.transaction(insert("inner"))));
        assertTrue(e.getMessage().contains("started another"), e.getMessage());
        assertEquals("after", groups.transaction(insert("after")), "the groups serve on after it");
        assertEquals(Set.of("after"), names());
    }

    @Test
    void manyThreadsAtOnce_everySuccessCommittedEveryFailureWithoutTrace() throws Exception {
        CommitGroups groups = new CommitGroups(counted(pool), 64);
        int callers = 16;
        int each = 50;
        List<Future<Set<String>>> results = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int thread = t;
            results.add(threads.submit(() -> {
                Set<String> kept = new TreeSet<>();
                for (int i = 0; i < each; i++) {
                    String name = "t" + thread + "-" + i;
                    boolean refuse = i % 7 == 3;
                    try {
                        groups.transaction(c -> {
                            insert(name).apply(c);
                            bump(c);
                            if (refuse) {
                                throw new IllegalArgumentException(name + " refused");
                            }
                            return name;
                        });
                        kept.add(name);
                    } catch (IllegalArgumentException refused) {
                        // its writes must be gone: checked below
                    }
                }
                return kept;
            }));
        }
        Set<String> kept = new TreeSet<>();
        for (Future<Set<String>> r : results) {
            kept.addAll(r.get(30, TimeUnit.SECONDS));
        }
        assertEquals(kept, names());
        assertEquals(kept.size(), counter());
        assertTrue(commits.get() <= callers * each, "never more commits than transactions: " + commits.get());
    }

    @Test
    void theStoreGroupsTheCommitsOfAnEmbeddedDatabaseOnly() throws SQLException {
        JdbcDataSource file = new JdbcDataSource();
        file.setURL(DataSources.url("", dir.resolve("store").toFile()));
        JdbcStore embedded = new JdbcStore(file, "n1", 60, 10);
        try {
            assertTrue(embedded.groupsCommits());
        } finally {
            embedded.close();
        }
        DataSource postgres = PostgresSupport.freshSchema();
        JdbcStore server = new JdbcStore(postgres, "n1", 60, 10);
        try {
            assertFalse(server.groupsCommits(), "several processes write a PostgreSQL database");
        } finally {
            server.close();
        }
    }

    /** The first transaction, held open inside its work (so leading a batch) until released. */
    private final class Held {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        Future<String> done;

        void release() {
            release.countDown();
        }
    }

    private Held holdFirst(CommitGroups groups) throws InterruptedException {
        return holdFirst(groups, "first");
    }

    private Held holdFirst(CommitGroups groups, String name) throws InterruptedException {
        Held held = new Held();
        held.done = threads.submit(() -> groups.transaction(c -> {
            insert(name).apply(c);
            held.inside.countDown();
            try {
                assertTrue(held.release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return name;
        }));
        assertTrue(held.inside.await(10, TimeUnit.SECONDS));
        return held;
    }

    /** Starts {@code n} transactions {@code q0..}, one after another, each queued before the next starts. */
    private List<Future<String>> queue(CommitGroups groups, int n, java.util.function.Function<String, Jdbc.Work<String>> work)
            throws InterruptedException {
        List<Future<String>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "q" + i;
            out.add(threads.submit(() -> groups.transaction(work.apply(name))));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (groups.queued() < i + 1 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertEquals(i + 1, groups.queued(), "queued behind the held transaction");
        }
        return out;
    }

    private static Jdbc.Work<String> insert(String name) {
        return c -> {
            try (var st = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                st.setString(1, name);
                st.executeUpdate();
            }
            return name;
        };
    }

    private static void bump(Connection c) throws SQLException {
        c.createStatement().executeUpdate("UPDATE counter SET n = n + 1");
    }

    private Set<String> names() throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Connection c = pool.getConnection(); var rs = c.createStatement().executeQuery("SELECT name FROM t")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private int counter() throws SQLException {
        try (Connection c = pool.getConnection(); var rs = c.createStatement().executeQuery("SELECT n FROM counter")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** {@code ds} whose connections count their commits, and fail the next one (rolling it back) when asked to. */
    private DataSource counted(DataSource ds) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, args) -> {
            Object out = invoke(m, ds, args);
            if (!m.getName().equals("getConnection")) {
                return out;
            }
            Connection c = (Connection) out;
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (cp, cm, cargs) -> {
                if (cm.getName().equals("commit")) {
                    if (attempts.incrementAndGet() == failAttempt) {
                        c.rollback();
                        throw new SQLException("commit failed (test)");
                    }
                    commits.incrementAndGet();
                }
                return invoke(cm, c, cargs);
            });
        });
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
