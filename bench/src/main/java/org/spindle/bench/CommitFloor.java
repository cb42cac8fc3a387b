package org.spindle.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The floor under the core-overhead goal, measured on the same database in the same run: what durable writes alone cost,
 * paced as a life paces them. A core that stores each operation's intent before the calls that change something (so that a
 * restart finds out what happened) needs at least {@value #LEAST_WRITES_A_LIFE} durable writes a life whatever it writes:
 * the created row, and for attach, detach and delete an intent before their calls and the outcome after. Here each write is
 * the cheapest there is — one row of a two-column table updated and committed on a connection of the database's pool — and
 * each follows a wait as long as one external call, as the core's writes follow the SAN's and hypervisor's answers (a
 * thread that has just waited runs the same code slower than one in a tight loop: cold caches, a CPU woken up).
 */
final class CommitFloor {
    /** Create 1 (the row), attach 2, detach 2, delete 2 (an intent before the calls, the outcome after). */
    static final int LEAST_WRITES_A_LIFE = 7;
    /** An attach: its intent before the calls, its outcome after. */
    static final int LEAST_WRITES_AN_ATTACH = 2;

    private CommitFloor() {
    }

    /**
     * Measures {@code writes} paced durable writes on {@code rig}'s database and adds two rows to {@code section}: the cost of
     * one, and the least core-overhead ratio it leaves a life whose external calls took {@code externalPerLifeMs}.
     */
    static void run(Rig rig, String section, long latencyMillis, int writes, double externalPerLifeMs, double externalCallMs,
                    Results out) throws SQLException, InterruptedException {
        double[] wall = new double[writes];
        long cpu = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Connection c = rig.db.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INT PRIMARY KEY, v BIGINT)");
                st.execute("DELETE FROM bench_floor");
                st.execute("INSERT INTO bench_floor (id, v) VALUES (1, 0)");
            }
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement("UPDATE bench_floor SET v=? WHERE id=1")) {
                for (int i = 0; i < writes; i++) {
                    if (latencyMillis > 0) {
                        Thread.sleep(latencyMillis);
                    }
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    update.setLong(1, i);
                    if (update.executeUpdate() != 1) {
                        throw new IllegalStateException("the floor's row is gone");
                    }
                    c.commit();
                    wall[i] = (System.nanoTime() - start) / 1e6;
                    cpu += threads.getCurrentThreadCpuTime() - cpuStart;
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
        Arrays.sort(wall);
        double median = wall[writes / 2];
        double least = externalPerLifeMs + LEAST_WRITES_A_LIFE * median;
        out.add(section, "the floor: one durable write, the cheapest there is (one row of a two-column table updated and committed), "
                        + "each after a " + latencyMillis + " ms wait as the core's writes follow external calls; median of " + writes
                        + " (the writing thread's CPU: " + Results.ms(cpu / 1e6 / writes) + " a write)",
                Results.ms(median), Results.ms(externalCallMs) + " one external call (mean)", median / externalCallMs, "-");
        out.add(section, "the least ratio a core can reach here while each intent is durable before its calls: " + LEAST_WRITES_A_LIFE
                        + " such writes a life (create 1; attach, detach, delete 2 each) and nothing else beside the external calls",
                Results.ms(least) + " per life", Results.ms(externalPerLifeMs) + " inside the external calls waited for",
                least / externalPerLifeMs, "the goal ≤ 1.05 is reachable only if this is");
    }

    /**
     * The same floor for the concurrent attaches: {@code n} attaches on {@code workers} threads, each only its external
     * time slept ({@code externalPerAttachMs}, in two halves) and {@value #LEAST_WRITES_AN_ATTACH} durable writes of a row
     * of its own (the intent before its calls, the outcome after), on connections of the database's pool as the core's
     * are; its wall against the same ideal as the attaches'.
     */
    static void concurrent(Rig rig, String section, int n, int workers, double externalPerAttachMs, double idealMs, Results out)
            throws SQLException, InterruptedException {
        try (Connection c = rig.db.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS bench_floor_rows (id INT PRIMARY KEY, v BIGINT)");
            st.execute("DELETE FROM bench_floor_rows");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_floor_rows (id, v) VALUES (?, 0)")) {
                for (int i = 0; i < n; i++) {
                    insert.setInt(1, i);
                    insert.addBatch();
                }
                insert.executeBatch();
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }
        long half = Math.round(externalPerAttachMs * 1e6 / 2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(workers);
        java.util.List<java.util.concurrent.Future<?>> attaches = new java.util.ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int row = i;
            attaches.add(pool.submit(() -> {
                for (int write = 0; write < LEAST_WRITES_AN_ATTACH; write++) {
                    java.util.concurrent.locks.LockSupport.parkNanos(half);
                    try (Connection c = rig.db.getConnection(); PreparedStatement update = c.prepareStatement("UPDATE bench_floor_rows SET v=? WHERE id=?")) {
                        c.setAutoCommit(false);
                        update.setLong(1, write + 1);
                        update.setInt(2, row);
                        update.executeUpdate();
                        c.commit();
                        c.setAutoCommit(true);
                    }
                }
                return null;
            }));
        }
        try {
            for (java.util.concurrent.Future<?> f : attaches) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the concurrent floor failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdown();
        }
        double wall = (System.nanoTime() - start) / 1e6;
        out.add(section, "the floor: the same " + n + " attaches on " + workers + " workers with nothing but their external time slept and "
                        + LEAST_WRITES_AN_ATTACH + " durable writes each (intent, outcome; one row an attach, updated and committed)",
                Results.ms(wall) + " wall", Results.ms(idealMs) + " ideal", wall / idealMs, "the goal ≤ 1.2 is reachable only if this is");
    }
}
