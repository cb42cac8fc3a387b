package org.spindle.storage.core.internal.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

/**
 * Group commit: the transactions that arrive while one commit is being written share the next one. The first caller to
 * find no batch running leads: it takes every transaction queued so far (at most {@code maxBatch}, its own among them),
 * runs them one after another on one connection, each under a savepoint of its own, commits once and hands every caller
 * its outcome; the others wait meanwhile, and the next batch gathers while this one is written. So:
 * <ul>
 * <li>a caller returns only after the commit carrying its writes has returned: a result means committed, as with a
 *     transaction of its own, and a {@code kill -9} before that commit loses the whole batch, none of it acknowledged;</li>
 * <li>a transaction that throws is rolled back to its savepoint, alone: its caller gets the exception, the others in the
 *     batch go on (a batch of one needs no savepoint);</li>
 * <li>a commit that fails fails every transaction in its batch;</li>
 * <li>the transactions of a batch run as if serially, each seeing the writes of those before it; no two of this
 *     process's writes wait for each other's row locks, as there is one writing connection at a time.</li>
 * </ul>
 * This pays where a commit costs the database work for each commit rather than for each change: embedded H2 writes a
 * new chunk of pages at every commit, and the pages that many saves change (index roots, the audit trail's last leaf,
 * the pool rows) are written once for the batch instead of once each. It is for a database this process alone writes:
 * where other processes write too (PostgreSQL, several nodes), a batch holding several operations' row locks at once
 * would no longer keep the lock order each operation keeps, and the server groups its log flushes itself. (An H2 file
 * opened with {@code AUTO_SERVER=TRUE} is grouped too, as the URL its connections report does not say so: another
 * process writing it meanwhile can meet a batch's row locks, and H2 then fails one statement as a deadlock.)
 * <p>
 * A transaction must not start another one (it would wait for its own batch): that throws {@link IllegalStateException}.
 */
final class CommitGroups {
    private final DataSource dataSource;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchDone = lock.newCondition();
    private List<Pending<?>> queue = new ArrayList<>();
    /** The thread running a batch now, or {@code null}. */
    private Thread leader;

    CommitGroups(DataSource dataSource, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.dataSource = dataSource;
        this.maxBatch = maxBatch;
    }

    /**
     * One caller's transaction and, once its batch is done, its outcome: written by the batch's leader, then published
     * to the caller by setting {@code done} under {@link #lock}, which the caller reads under it too.
     */
    private static final class Pending<T> {
        final Jdbc.Work<T> work;
        T result;
        Throwable failure;
        boolean done;

        Pending(Jdbc.Work<T> work) {
            this.work = work;
        }

        void run(Connection c, boolean alone) throws SQLException {
            if (alone) {
                result = work.apply(c);    // a failure fails the batch, which is this one
                return;
            }
            Savepoint before = c.setSavepoint();
            try {
                result = work.apply(c);
            } catch (SQLException | RuntimeException e) {
                failure = e;
                c.rollback(before);
            }
        }

        T outcome() throws SQLException {
            if (failure instanceof SQLException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }

    /** Runs {@code work} in a transaction committed together with those of concurrent callers; see the class. */
    <T> T transaction(Jdbc.Work<T> work) throws SQLException {
        Pending<T> mine = new Pending<>(work);
        List<Pending<?>> batch = null;
        lock.lock();
        try {
            if (leader == Thread.currentThread()) {
                throw new IllegalStateException("a transaction started another one: they cannot share a commit");
            }
            queue.add(mine);
            while (leader != null && !mine.done) {
                batchDone.awaitUninterruptibly();
            }
            if (!mine.done) {
                leader = Thread.currentThread();
                batch = take(mine);
            }
        } finally {
            lock.unlock();
        }
        if (batch != null) {
            try {
                runAll(batch);
            } finally {
                lock.lock();
                try {
                    batch.forEach(p -> p.done = true);
                    leader = null;
                    batchDone.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
        return mine.outcome();
    }

    /** How many transactions wait for the next batch (for tests). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The next batch: what is queued, oldest first, at most {@link #maxBatch}, with {@code mine} in it. */
    private List<Pending<?>> take(Pending<?> mine) {
        if (queue.size() <= maxBatch) {
            List<Pending<?>> all = queue;
            queue = new ArrayList<>();
            return all;
        }
        List<Pending<?>> batch = new ArrayList<>(queue.subList(0, maxBatch - 1));
        batch.add(batch.contains(mine) ? queue.get(maxBatch - 1) : mine);
        queue.removeAll(batch);
        return batch;
    }

    private void runAll(List<Pending<?>> batch) {
        boolean committed = false;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Pending<?> p : batch) {
                    p.run(c, batch.size() == 1);
                }
                c.commit();
                committed = true;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                failAll(batch, e);
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            if (!committed) {    // once committed, a connection that fails on its way back to the pool changes nothing
                failAll(batch, e);
            }
        }
    }

    /** Gives {@code e} to every transaction of the batch that has no failure of its own. */
    private static void failAll(List<Pending<?>> batch, Throwable e) {
        for (Pending<?> p : batch) {
            if (p.failure == null) {
                p.failure = e;
            }
        }
    }
}
