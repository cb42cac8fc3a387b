package org.spindle.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import org.spindle.driver.solidfire.internal.BenchClusters;
import org.spindle.solidfire.simulator.CallCounter;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.SanVolumeRequest;
import org.spindle.storage.api.qos.EffectiveQos;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosPlan;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.ReconcileReport;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeQuery;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.BenchRows;
import org.spindle.storage.core.internal.db.VolumeRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The core over the real SolidFire driver ({@code driver.solidfire}) and the Element simulator (no tgt: no data path,
 * every Element method as the reference describes it): the Element calls each user operation costs, counted by the
 * simulator; and one reconciliation pass against a SAN of {@code n} volumes, filled in-process (as Element's own
 * CreateVolume makes them, with the driver's account and attribute naming) beside their rows in the database.
 */
final class SolidFire {
    private static final String API = "12.3";
    private static final int FILL_CHUNK = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The offering of the lives: gold's tags and QoS, custom IOPS allowed (so that a QoS change reaches the SAN). */
    private static final String CUSTOM = "gold-custom";

    private SolidFire() {
    }

    /**
     * The SolidFire figures alone, at the report size (BENCHMARKS.md has the command): {@code spindle.bench.volumes}
     * (100000), on H2 and on PostgreSQL when it answers; the table goes to {@code spindle.bench.out}
     * ({@code target/solidfire-results.md}). Exits 1 on a violation.
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("spindle.bench.volumes", 100_000);
        long latency = Long.getLong("spindle.bench.latency.ms", 5);
        Results out = new Results();
        List<String> violations = new ArrayList<>();
        java.io.File data = new java.io.File(System.getProperty("spindle.bench.data", "target/bench-data"));
        double loadStart = OS.getSystemLoadAverage();
        List<Databases.Db> dbs = new ArrayList<>(List.of(Databases.h2(data, "solidfire-" + System.nanoTime())));
        Databases.Db pg = Databases.postgres();
        if (pg != null) {
            dbs.add(pg);
        } else {
            out.note("PostgreSQL figures skipped: " + Databases.postgresMissing());
        }
        for (Databases.Db db : dbs) {
            long t = System.nanoTime();
            run(db, 20, latency, n, out).forEach(v -> violations.add(db.label() + ": " + v));
            out.note(String.format(Locale.ROOT, "%s: took %.1f s.", db.label(), (System.nanoTime() - t) / 1e9));
        }
        String header = String.format(Locale.ROOT, "# Spindle SolidFire figures, %s\n\n%d volumes; load average %.1f at the start, %.1f at the end.",
                Instant.now(), n, loadStart, OS.getSystemLoadAverage());
        out.write(java.nio.file.Path.of(System.getProperty("spindle.bench.out", "target/solidfire-results.md")), header);
        System.out.println(out.markdown(header));
        if (!violations.isEmpty()) {
            System.err.println("violations: " + violations);
            System.exit(1);
        }
        System.exit(0);
    }

    /** A simulator with no tgt, an admin with a random password, 32 request threads. */
    static ElementSimulator simulator() throws java.io.IOException {
        String password = "Bench-" + Long.toHexString(new SecureRandom().nextLong());
        return ElementSimulator.builder().credentials("admin", password).tgt(ElementSimulator.TgtMode.OFF)
                .uniqueId("bn" + UUID.randomUUID().toString().substring(0, 3)).threads(32).start();
    }

    /** One measured operation: Element calls by method, driver calls the core made, wall time. */
    private record Cost(Map<String, Long> element, long driverCalls, long nanos, int ops) {
        long elementCalls() {
            return element.values().stream().mapToLong(Long::longValue).sum();
        }

        Cost plus(Cost o) {
            Map<String, Long> m = new TreeMap<>(element);
            o.element.forEach((k, v) -> m.merge(k, v, Long::sum));
            return new Cost(m, driverCalls + o.driverCalls, nanos + o.nanos, ops + o.ops);
        }
    }

    /**
     * Both figures on one simulator and one node of the core over {@code where}: {@link #calls} with {@code lives} lives at
     * {@code latencyMillis} a call, then {@link #reconcile} at {@code n} volumes (no call latency). Returns the violations.
     */
    static List<String> run(Databases.Db where, int lives, long latencyMillis, int n, Results out) throws Exception {
        long t = System.nanoTime();
        try (ElementSimulator sim = simulator()) {
            Rig.Peers peers = Rig.Peers.over(BenchClusters.driver(sim, Rig.POOL, Rig.ZONE, Rig.OFFERING), "solidfire", 0);
            try (Rig rig = Rig.start(where, peers, false)) {
                out.note(String.format(Locale.ROOT, "%s: the simulator and the node over the SolidFire driver started in %.1f s.", where.label(),
                        (System.nanoTime() - t) / 1e9));
                calls(rig, sim, lives, latencyMillis, out);
                sim.callLatency(Duration.ZERO);
                return reconcile(rig, sim, n, out);
            }
        }
    }

    /**
     * The Element calls per user operation: {@code lives} volumes, one after another, go create → attach → resize →
     * QoS change → detach → delete, and after each the pools and a page of volumes are listed and the volume shown; every
     * Element call costs {@code latencyMillis}. One untimed life first (the driver's discovery, the tenant's account).
     */
    static void calls(Rig rig, ElementSimulator sim, int lives, long latencyMillis, Results out) {
        String section = "SAN calls, SolidFire simulator, " + rig.where.label();
        Rig.Peers peers = rig.peers;
        if (rig.store.offering(CUSTOM).isEmpty()) {
            Offering gold = Rig.offering();
            rig.store.insertOffering(new Offering(CUSTOM, "", gold.tags(), gold.qos(), true));
        }
        Map<String, Cost> total = new LinkedHashMap<>();
        life(rig, sim, "sfwarm", new LinkedHashMap<>());
        peers.resetTimes();
        sim.callLatency(Duration.ofMillis(latencyMillis));
        for (int i = 0; i < lives; i++) {
            life(rig, sim, "sflife" + i, total);
        }
        Cost create = total.get("create");
        double perCreate = (double) create.elementCalls() / create.ops();
        for (Map.Entry<String, Cost> e : total.entrySet()) {
            Cost c = e.getValue();
            double element = (double) c.elementCalls() / c.ops();
            double driver = (double) c.driverCalls() / c.ops();
            boolean listing = e.getKey().startsWith("list") || e.getKey().startsWith("show");
            String perMethod = perOperation(c.element(), c.ops());
            out.add(section, e.getKey() + ": Element calls per operation " + perMethod + "; "
                            + Results.ms(c.nanos() / 1e6 / c.ops()) + " wall at " + latencyMillis + " ms a call (" + c.ops() + " operations)",
                    String.format(Locale.ROOT, "%.1f", element),
                    listing ? String.format(Locale.ROOT, "%.1f Element calls per create", perCreate)
                            : String.format(Locale.ROOT, "%.1f driver calls by the core", driver),
                    listing ? element / perCreate : driver == 0 ? element : element / driver, listing ? "0 calls" : "-");
        }
        out.note(rig.where.label() + ": SolidFire, driver calls the core made over " + lives + " lives: " + peers.sanTime().calls() + ".");
    }

    private static void life(Rig rig, ElementSimulator sim, String name, Map<String, Cost> into) {
        count(into, "create", rig, sim, () -> rig.volumes.create(new VolumeSpec(name, CUSTOM, Rig.GIB, "admin", StorageQos.NONE)));
        listings(rig, sim, name, into);
        count(into, "attach", rig, sim, () -> expect(rig.volumes.attach(name, Rig.vm(1), null), VolumeState.ATTACHED));
        listings(rig, sim, name, into);
        count(into, "resize (attached)", rig, sim, () -> rig.volumes.resize(name, 2 * Rig.GIB));
        count(into, "QoS change (attached)", rig, sim, () -> rig.volumes.changeQos(name, new QosSpec(new StorageQos(600, 900, 1200), IoLimits.NONE)));
        count(into, "detach", rig, sim, () -> expect(rig.volumes.detach(name), VolumeState.READY));
        count(into, "delete", rig, sim, () -> expect(rig.volumes.delete(name), VolumeState.DESTROYED));
        listings(rig, sim, name, into);
    }

    /** pool-list, the first page of volume-list, volume-show: each counted on its own (three times a life). */
    private static void listings(Rig rig, ElementSimulator sim, String name, Map<String, Cost> into) {
        count(into, "listing pools (pool-list)", rig, sim, rig.runtime::pools);
        count(into, "listing a page of volumes (volume-list)", rig, sim, () -> rig.volumes.list(VolumeQuery.firstPage()));
        count(into, "showing a volume (volume-show)", rig, sim, () -> rig.volumes.get(name));
    }

    private static Volume expect(Volume v, VolumeState want) {
        Overhead.expect(v.state(), want, v.name());
        return v;
    }

    private static void count(Map<String, Cost> into, String op, Rig rig, ElementSimulator sim, Supplier<?> work) {
        CallCounter.Counts before = sim.calls().snapshot();
        long driverBefore = rig.peers.sanTime().total();
        long t = System.nanoTime();
        work.get();
        long nanos = System.nanoTime() - t;
        Cost c = new Cost(sim.calls().snapshot().minus(before).byMethod(), rig.peers.sanTime().total() - driverBefore, nanos, 1);
        into.merge(op, c, Cost::plus);
    }

    private static String perOperation(Map<String, Long> byMethod, int ops) {
        StringBuilder b = new StringBuilder("{");
        byMethod.forEach((k, v) -> {
            if (v > 0) {
                b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(fmt((double) v / ops));
            }
        });
        return b.append('}').toString();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    /**
     * One reconciliation pass (what {@code storage:reconcile} runs) against a SolidFire SAN of {@code n} volumes, every one
     * with its row in the database (19 in 20 READY … here all READY and on the SAN, 100 tenants): the reference is the same
     * pass at {@value Scale#REF} volumes, in the same run. The pass lists the SAN through the driver (Element
     * ListActiveVolumes, 1,000 a page) and must find no orphan; a violation is reported otherwise.
     */
    static List<String> reconcile(Rig rig, ElementSimulator sim, int n, Results out) throws java.sql.SQLException {
        Databases.Db where = rig.where;
        String section = "reconciliation, SolidFire simulator, " + where.label();
        List<String> violations = new ArrayList<>();
        Map<String, Long> accounts = accounts(sim, 100);
        long f = System.nanoTime();
        fill(sim, rig, accounts, 0, Scale.REF);
        Pass ref = pass(rig, sim, Scale.REF, 3, violations);
        fill(sim, rig, accounts, Scale.REF, n);
        double fillSeconds = (System.nanoTime() - f) / 1e9;
        Pass big = pass(rig, sim, n, 1, violations);
        out.add(section, "one reconciliation pass (recovery, capacity, orphan sweep: SAN listed through the driver), SAN and database of "
                        + n + " volumes; Element calls per pass " + big.calls(), Results.ms(big.millis()),
                Results.ms(ref.millis()) + " at " + Scale.REF + " volumes (Element calls " + ref.calls() + ")",
                big.millis() / ref.millis(), "≤ 30 s");
        out.add(section, "the same pass's CPU time (the whole process: core, driver and simulator), " + n + " volumes",
                Results.ms(big.cpuMillis()), Results.ms(ref.cpuMillis()) + " at " + Scale.REF + " volumes", big.cpuMillis() / ref.cpuMillis(), "-");
        out.note(String.format(Locale.ROOT, "%s: the SolidFire SAN and the database filled with %d volumes in %.1f s; the pass's first run "
                + "at %d volumes (not the figure: the driver learns the new accounts, ListAccounts) took %s.", where.label(), n, fillSeconds, n,
                Results.ms(big.firstMillis())));
        return violations;
    }

    /**
     * Timings of a pass: the first run, then the median of {@code runs} more, and the CPU time the whole process (core,
     * driver and simulator) spent in those runs, per run.
     */
    private record Pass(double firstMillis, double millis, double cpuMillis, Map<String, Long> calls) {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static Pass pass(Rig rig, ElementSimulator sim, int n, int runs, List<String> violations) {
        long t = System.nanoTime();
        check(rig.volumes.reconcile(), n, violations);
        double first = (System.nanoTime() - t) / 1e6;
        CallCounter.Counts before = sim.calls().snapshot();
        long cpu = OS.getProcessCpuTime();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            ReconcileReport r = rig.volumes.reconcile();
            ms[i] = (System.nanoTime() - s) / 1e6;
            check(r, n, violations);
        }
        Map<String, Long> calls = new TreeMap<>();
        sim.calls().snapshot().minus(before).byMethod().forEach((k, v) -> calls.put(k, v / runs));
        long pages = calls.getOrDefault("ListActiveVolumes", 0L);
        if (pages < (n + 999) / 1000) {
            violations.add("a pass at " + n + " volumes made " + pages + " ListActiveVolumes calls: it did not list the SAN through the driver");
        }
        double cpuMillis = (OS.getProcessCpuTime() - cpu) / 1e6 / runs;
        java.util.Arrays.sort(ms);
        return new Pass(first, ms[runs / 2], cpuMillis, calls);
    }

    private static void check(ReconcileReport r, int n, List<String> violations) {
        if (!r.orphans().isEmpty() || !r.deferred().isEmpty() || !r.recovered().isEmpty()) {
            violations.add("a pass at " + n + " volumes, where the SAN and the database agree, found " + r.orphans().size() + " orphans, recovered "
                    + r.recovered().size() + ", deferred " + r.deferred());
        }
    }

    /** The driver's accounts of tenants t0 … t{count-1}, made as Element's AddAccount makes them; tenant → accountID. */
    private static Map<String, Long> accounts(ElementSimulator sim, int count) {
        Map<String, Long> ids = new LinkedHashMap<>();
        for (int t = 0; t < count; t++) {
            String tenant = "t" + t;
            ObjectNode p = JSON.createObjectNode().put("username", BenchClusters.accountName(tenant));
            ids.put(tenant, sim.invoke("AddAccount", p, API).path("accountID").asLong());
        }
        return ids;
    }

    /**
     * Volumes {@code from} … {@code to - 1}: each an Element CreateVolume in-process (as the driver asks for it: its name,
     * account, size, QoS and attributes) and its READY row, inserted in batches through the core's own column binding.
     */
    static void fill(ElementSimulator sim, Rig rig, Map<String, Long> accounts, int from, int to) throws java.sql.SQLException {
        QosSpec requested = Rig.offering().qos();
        StorageQos storage = requested.storage();
        QosPlan plan = new QosPlan(storage, IoLimits.NONE, new EffectiveQos(storage.minIops(), storage.maxIops(), storage.burstIops(), 0));
        Instant base = Instant.now();
        for (int chunk = from; chunk < to; chunk += FILL_CHUNK) {
            List<VolumeRecord> rows = new ArrayList<>();
            for (int i = chunk; i < Math.min(to, chunk + FILL_CHUNK); i++) {
                UUID id = UUID.randomUUID();
                String name = "sf" + i;
                String tenant = "t" + (i % accounts.size());
                SanVolumeRequest request = new SanVolumeRequest(id, name, tenant, Rig.GIB, storage);
                ObjectNode p = JSON.createObjectNode().put("name", BenchClusters.sanName(name)).put("accountID", accounts.get(tenant))
                        .put("totalSize", Rig.GIB).put("enable512e", true);
                p.putObject("qos").put("minIOPS", storage.minIops()).put("maxIOPS", storage.maxIops()).put("burstIOPS", storage.burstIops());
                ObjectNode attributes = p.putObject("attributes");
                BenchClusters.attributes(request).forEach(attributes::put);
                JsonNode made = sim.invoke("CreateVolume", p, API);
                String sanId = made.path("volumeID").asText();
                Target target = new Target("iscsi", List.of(Portal.iscsi(sim.svip())), made.path("volume").path("iqn").asText(), 0, null, null);
                Instant created = base.plusNanos(i * 1_000L);
                rows.add(new VolumeRecord(new Volume(id, name, tenant, Rig.GIB, Rig.OFFERING, Rig.POOL, VolumeState.READY, 3, requested, plan,
                        sanId, target, null, null, created, created), null, null));
            }
            BenchRows.insert(rig.db, rows);
        }
        rig.where.analyze(rig.db);
    }
}
