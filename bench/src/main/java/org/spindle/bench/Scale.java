package org.spindle.bench;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntConsumer;

import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.BenchRows;
import org.spindle.storage.core.internal.db.VolumeRecord;

/**
 * Scale: the figures a user sees at {@code n} volumes in one zone against the same figures at {@value #REF} volumes, in
 * the same run on the same database: one page of {@code list(VolumeQuery)} (first, deep, by tenant, by state), {@code get}
 * by name, a create, a restart until the core serves, a reconciliation pass and the heap after GC.
 */
final class Scale {
    /** The reference zone: one page's worth of volumes. */
    static final int REF = 100;
    private static final int PAGE = 100;
    private static final int FILL_CHUNK = 10_000;
    /** Time spent on one figure's warm-up, and again on its timed runs, at most (about). */
    private static final long BUDGET_MILLIS = 4_000;

    private Scale() {
    }

    /** One measurement of every figure, in milliseconds (heap in MiB). */
    record Figures(double first, double deep, double tenant, double state, double get, double create, double poolList,
                   double sanCallsPerListing, double sanCallsPerCreate, double restart, double pass, double heapMib,
                   double oldPending, double oldCount) {
    }

    /** What a create read twice before migration V8 (the sum over the pool's volumes not on the SAN yet)... */
    private static final String OLD_PENDING = "SELECT COALESCE(SUM(size_bytes),0), COALESCE(SUM(p_min_iops),0) FROM volume "
            + "WHERE pool=? AND state IN ('ALLOCATED','CREATING')";
    /** ...and what a pool listing counted for each pool. */
    private static final String OLD_COUNT = "SELECT COUNT(*) FROM volume WHERE pool=? AND live_name IS NOT NULL";

    static void run(Databases.Db where, int n, int reps, Results out) throws SQLException {
        Rig.Peers peers = Rig.Peers.make(0);
        Rig rig = Rig.start(where, peers, false);
        for (int i = 0; i < REF; i++) {
            rig.create("r" + i);
        }
        Figures[] ref = new Figures[1];
        rig = measure(where, rig, "r", REF, reps, f -> ref[0] = f);
        fill(rig, n - REF);
        Figures[] big = new Figures[1];
        rig = measure(where, rig, "s", n - REF, reps, f -> big[0] = f);
        rig.close();
        report(where.label(), n, ref[0], big[0], out);
    }

    /** Measures every figure; returns the node running after the restarts (the one given is closed). */
    private static Rig measure(Databases.Db where, Rig rig, String prefix, int count, int reps, java.util.function.Consumer<Figures> into) {
        Random random = new Random(14);
        String middle = prefix + (count / 2);
        double first = median(reps, i -> page(rig, null, null, null));
        double deep = median(reps, i -> page(rig, middle, null, null));
        double tenant = median(reps, i -> page(rig, null, "admin", null));
        double state = median(reps, i -> page(rig, null, null, VolumeState.ALLOCATED));
        double get = median(reps * 4, i -> rig.volumes.get(prefix + random.nextInt(count)).orElseThrow());
        double create = median(Math.max(5, reps / 5), i -> rig.create("new-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8)));
        double poolList = median(reps, i -> rig.runtime.pools());
        double[] old = oldQueries(rig, reps);
        double oldPending = old[0];
        double oldCount = old[1];
        rig.peers.resetTimes();
        for (int i = 0; i < 10; i++) {
            rig.runtime.pools();
            rig.volumes.list(VolumeQuery.firstPage());
        }
        double perListing = rig.peers.sanTime().total() / 10.0;
        rig.peers.resetTimes();
        for (int i = 0; i < 10; i++) {
            rig.create("count-" + prefix + "-" + i);
        }
        double perCreate = rig.peers.sanTime().total() / 10.0;
        Rig.Peers peers = rig.peers;
        rig.close();
        restart(where, peers).close();                       // a first restart compiles the start-up path
        long start = System.nanoTime();
        Rig running = restart(where, peers);
        double restart = (System.nanoTime() - start) / 1e6;
        running.volumes.reconcile();                         // the pass at start, if still under way, ends first
        long passStart = System.nanoTime();
        running.volumes.reconcile();
        double pass = (System.nanoTime() - passStart) / 1e6;
        into.accept(new Figures(first, deep, tenant, state, get, create, poolList, perListing, perCreate, restart, pass, heapAfterGc(), oldPending, oldCount));
        return running;
    }

    /** A start of the node (as activated by DS) until it serves: the first page listed and one volume shown. */
    private static Rig restart(Databases.Db where, Rig.Peers peers) {
        Rig rig = Rig.start(where, peers, true);
        if (rig.volumes.list(VolumeQuery.firstPage()).isEmpty() || rig.volumes.get("r0").isEmpty()) {
            throw new IllegalStateException("the restarted core does not serve the volumes it has");
        }
        return rig;
    }

    /**
     * The queries the core made before V8 on the same database, with the indexes V6 had made for them (made for the
     * measurement, dropped after): {sum, count} in milliseconds.
     */
    private static double[] oldQueries(Rig rig, int reps) {
        List<String> indexes = List.of("bench_old_live ON volume (pool, live_name)", "bench_old_state ON volume (pool, state, size_bytes, p_min_iops)");
        try (java.sql.Connection c = rig.db.getConnection(); java.sql.Statement st = c.createStatement()) {
            for (String index : indexes) {
                st.execute("CREATE INDEX " + index);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        rig.where.analyze(rig.db);
        double[] old = {median(reps, i -> oldQuery(rig, OLD_PENDING, i)), median(reps, i -> oldQuery(rig, OLD_COUNT, i))};
        try (java.sql.Connection c = rig.db.getConnection(); java.sql.Statement st = c.createStatement()) {
            for (String index : indexes) {
                st.execute("DROP INDEX " + index.split(" ")[0]);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return old;
    }

    /**
     * One run of a query the core no longer makes. Each run's text differs by a comment: H2 answers a statement it has
     * just run on an unchanged table from the previous result, which a core changing the table between creates never gets.
     */
    private static void oldQuery(Rig rig, String sql, int run) {
        try (java.sql.Connection c = rig.db.getConnection();
             java.sql.PreparedStatement st = c.prepareStatement(sql.replaceFirst("SELECT", "SELECT /* " + run + " " + System.nanoTime() + " */"))) {
            st.setString(1, Rig.POOL);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Volume> page(Rig rig, String after, String tenant, VolumeState state) {
        List<Volume> page = rig.volumes.list(new VolumeQuery(PAGE, after, state, null, tenant, false));
        if (page.isEmpty()) {
            throw new IllegalStateException("an empty page (after " + after + ", tenant " + tenant + ", state " + state + ")");
        }
        return page;
    }

    /** {@code count} volumes as a zone holds them: 100 tenants, 19 of 20 on the SAN (READY), 1 of 20 ALLOCATED. */
    static void fill(Rig rig, int count) throws SQLException {
        Instant base = Instant.now().plusSeconds(1);
        for (int from = 0; from < count; from += FILL_CHUNK) {
            BenchRows.insert(rig.db, rows(from, Math.min(count, from + FILL_CHUNK), base));
        }
        rig.where.analyze(rig.db);
    }

    /** Rows {@code from} … {@code to - 1} of such a zone (volume {@code s<i>}, created {@code base} + i µs), in pool {@link Rig#POOL}. */
    static List<VolumeRecord> rows(int from, int to, Instant base) {
        QosSpec requested = Rig.offering().qos();
        StorageQos storage = requested.storage();
        QosPlan plan = new QosPlan(storage, IoLimits.NONE, new org.spindle.storage.api.qos.EffectiveQos(storage.minIops(), storage.maxIops(),
                storage.burstIops(), 0));
        List<VolumeRecord> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            UUID id = UUID.randomUUID();
            boolean onSan = i % 20 != 0;
            Instant created = base.plusNanos(i * 1_000L);
            Target target = onSan ? new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), "iqn.2026-11.org.spindle.test:sf1." + id, 0,
                    null, null) : null;
            rows.add(new VolumeRecord(new Volume(id, "s" + i, "t" + (i % 100), Rig.GIB, Rig.OFFERING, Rig.POOL,
                    onSan ? VolumeState.READY : VolumeState.ALLOCATED, onSan ? 3 : 1, requested, plan, onSan ? "bench-" + i : null,
                    target, null, null, created, created), null, null));
        }
        return rows;
    }

    private static void report(String db, int n, Figures ref, Figures big, Results out) {
        String s = "scale, " + db;
        String at = n + " volumes";
        String vs = " at " + REF + " volumes";
        out.add(s, "one page (" + PAGE + ") of list(VolumeQuery), first, " + at, Results.ms(big.first()), Results.ms(ref.first()) + vs,
                big.first() / ref.first(), "≤ 50 ms");
        out.add(s, "one page deep in the zone (after the middle volume), " + at, Results.ms(big.deep()), Results.ms(ref.deep()) + vs,
                big.deep() / ref.deep(), "≤ 50 ms");
        out.add(s, "one page of one tenant (" + REF + " of its volumes), " + at, Results.ms(big.tenant()), Results.ms(ref.tenant()) + vs,
                big.tenant() / ref.tenant(), "≤ 50 ms");
        out.add(s, "one page of state ALLOCATED, " + at, Results.ms(big.state()), Results.ms(ref.state()) + vs,
                big.state() / ref.state(), "≤ 50 ms");
        out.add(s, "get by name (volume-show), " + at, Results.ms(big.get()), Results.ms(ref.get()) + vs, big.get() / ref.get(), "≤ 5 ms");
        out.add(s, "create (a row, pool chosen, capacity checked), " + at, Results.ms(big.create()), Results.ms(ref.create()) + vs,
                big.create() / ref.create(), "-");
        out.add(s, "pool listing (storage:pool-list: capacity and volume count per pool), " + at, Results.ms(big.poolList()),
                Results.ms(ref.poolList()) + vs, big.poolList() / ref.poolList(), "-");
        out.add(s, "create now, against the same plus the sum a create made twice before V8 (the pool's volumes not on the SAN), " + at,
                Results.ms(big.create()), Results.ms(big.create() + 2 * big.oldPending()) + " (+ 2 × " + Results.ms(big.oldPending()) + ")",
                big.create() / (big.create() + 2 * big.oldPending()), "-");
        out.add(s, "pool listing now, against the live-volume count it made before V8, " + at, Results.ms(big.poolList()),
                Results.ms(big.oldCount()), big.poolList() / big.oldCount(), "-");
        out.add(s, "SAN calls per listing (pools + one page of volumes), " + at, String.format(java.util.Locale.ROOT, "%.1f", big.sanCallsPerListing()),
                String.format(java.util.Locale.ROOT, "%.1f SAN calls per create", big.sanCallsPerCreate()),
                big.sanCallsPerListing() / big.sanCallsPerCreate(), "0 calls");
        out.add(s, "restart until the core serves (store, registries, lifecycle, first page, one get), " + at,
                Results.ms(big.restart()), Results.ms(ref.restart()) + vs, big.restart() / ref.restart(),
                "≤ reference + 2000 ms (here +" + Results.ms(big.restart() - ref.restart()) + ")");
        out.add(s, "one reconciliation pass (SAN holds only the " + REF + " created volumes' state), " + at, Results.ms(big.pass()),
                Results.ms(ref.pass()) + vs, big.pass() / ref.pass(), "≤ 30 s");
        out.add(s, "heap used after GC (the whole benchmark JVM, node serving), " + at,
                String.format(java.util.Locale.ROOT, "%.1f MiB", big.heapMib()),
                String.format(java.util.Locale.ROOT, "%.1f MiB", ref.heapMib()) + vs, big.heapMib() / ref.heapMib(), "≤ 256 MiB");
    }

    /**
     * The median time of up to {@code reps} runs of {@code work}, in milliseconds, after as many untimed runs; a slow figure
     * (a table scan at 100,000 volumes) stops after about {@value #BUDGET_MILLIS} ms of each, with at least 3 timed runs.
     */
    static double median(int reps, IntConsumer work) {
        long warm = System.nanoTime();
        for (int i = 0; i < reps && System.nanoTime() - warm < BUDGET_MILLIS * 1_000_000L; i++) {
            work.accept(i);
        }
        double[] t = new double[reps];
        int done = 0;
        long begin = System.nanoTime();
        while (done < reps && (done < 3 || System.nanoTime() - begin < BUDGET_MILLIS * 1_000_000L)) {
            long start = System.nanoTime();
            work.accept(done);
            t[done++] = (System.nanoTime() - start) / 1e6;
        }
        double[] measured = Arrays.copyOf(t, done);
        Arrays.sort(measured);
        return measured[done / 2];
    }

    static double heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }
}
