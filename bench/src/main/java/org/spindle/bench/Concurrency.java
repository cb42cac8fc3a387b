package org.spindle.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.spindle.itest.attach.probe.AttachedDisk;
import org.spindle.itest.driver.probe.SanVolumeState;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeState;
import org.spindle.storage.core.internal.db.VolumeRecord;

/**
 * Concurrency: {@code n} allocated volumes attached at once through a bounded pool of {@code workers} threads (each attach
 * creates the SAN volume, grants the host and attaches the disk). Ideal = the external time one attach waits for (the
 * calls on the workers; the core's usage reading after each runs beside it) × the attaches one worker must run one after
 * another. Afterwards the database, the SAN and the hypervisor must agree exactly:
 * {@link #violations} lists every disagreement (a lost or duplicated operation among them).
 */
final class Concurrency {
    private static final String WORKER = "bench-attach-";

    private Concurrency() {
    }

    /** Runs the figure; returns the violations found (empty when everything agrees). */
    static List<String> run(Rig rig, int n, int workers, long latencyMillis, Results out) throws InterruptedException, java.sql.SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("c" + i);
            rig.create("c" + i);
        }
        rig.peers.resetTimes();
        // the ideal counts the calls the attaches wait for (on the workers), not the core's background readings beside them
        java.util.function.Predicate<Thread> worker = t -> t.getName().startsWith(WORKER);
        rig.peers.sanTime().caller(worker);
        rig.peers.hostTime().caller(worker);
        Cpu cpuBefore = Cpu.now();
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> new Thread(r, WORKER + made.incrementAndGet()));
        List<Future<Volume>> attaches = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            String vm = Rig.vm(i % Rig.VMS);
            attaches.add(pool.submit(() -> rig.volumes.attach(name, vm, null)));
        }
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            try {
                Volume v = attaches.get(i).get();
                if (v.state() != VolumeState.ATTACHED) {
                    violations.add(names.get(i) + ": attach returned " + v.state());
                }
            } catch (ExecutionException e) {
                violations.add(names.get(i) + ": attach failed: " + e.getCause());
            }
        }
        long wall = System.nanoTime() - start;
        Cpu cpu = Cpu.now().minus(cpuBefore);
        pool.shutdown();
        long external = rig.peers.sanTime().callerNanos() + rig.peers.hostTime().callerNanos();
        rig.peers.sanTime().caller(t -> false);
        rig.peers.hostTime().caller(t -> false);
        double perAttach = (double) external / n;
        long rounds = (n + workers - 1) / workers;
        double ideal = perAttach * rounds;
        out.add("concurrency, " + rig.where.label(), n + " volumes attached at once, " + workers + " workers, " + Databases.poolSize() + " database connections, " + latencyMillis
                        + " ms per external call",
                Results.ms(wall / 1e6) + " wall", Results.ms(ideal / 1e6) + " ideal (" + rounds + " attaches per worker × "
                        + Results.ms(perAttach / 1e6) + " external per attach)", wall / ideal, "≤ 1.2");
        if (cpu.machineNanos() > 0) {
            int cores = Runtime.getRuntime().availableProcessors();
            out.add("concurrency, " + rig.where.label(), "the least wall the run's CPU allows: CPU busy on the machine during the run ÷ "
                            + cores + " cores (this JVM: core, test peers, embedded H2; " + "the rest: a database server, other work)",
                    Results.ms(cpu.machineNanos() / 1e6 / cores) + " (this JVM " + Results.ms(cpu.processNanos() / 1e6) + ", "
                            + Results.ms(cpu.processNanos() / 1e6 / n) + " a attach; the rest " + Results.ms(Math.max(0, cpu.machineNanos() - cpu.processNanos()) / 1e6) + ")",
                    Results.ms(ideal / 1e6) + " ideal", cpu.machineNanos() / (double) cores / ideal, "≤ 1.2 needed for the goal");
        }
        CommitFloor.concurrent(rig, "concurrency, " + rig.where.label(), n, workers, perAttach / 1e6, ideal / 1e6, out);
        violations.addAll(violations(rig, n, names));
        out.add("concurrency, " + rig.where.label(), "lost, duplicated or inconsistent operations after the run", violations.size() + " violations",
                n + " attaches", (double) violations.size() / n, "0");
        return violations;
    }

    /** Where the database, the SAN, the hypervisor and the call counts disagree with {@code n} attached volumes. */
    static List<String> violations(Rig rig, int n, List<String> names) {
        List<String> v = new ArrayList<>();
        List<VolumeRecord> rows = rig.store.volumes(false).stream().filter(r -> names.contains(r.name())).toList();
        Set<UUID> db = rows.stream().map(VolumeRecord::id).collect(Collectors.toSet());
        Set<UUID> san = rig.peers.san().volumes().stream().map(SanVolumeState::volumeId).collect(Collectors.toSet());
        Set<UUID> disks = rig.peers.host().probe().disks().stream().map(AttachedDisk::volumeId).collect(Collectors.toSet());
        check(v, rows.size() == n, "database holds " + rows.size() + " of the " + n + " volumes");
        rows.stream().filter(r -> r.state() != VolumeState.ATTACHED).forEach(r -> v.add(r.name() + " is " + r.state() + " in the database"));
        check(v, rig.store.inFlight().isEmpty(), rig.store.inFlight().size() + " operations still in flight");
        check(v, san.containsAll(db) && db.containsAll(san), "SAN volumes " + san.size() + " and database volumes " + db.size() + " differ");
        check(v, disks.containsAll(db) && db.containsAll(disks), "hypervisor disks " + disks.size() + " and database volumes " + db.size() + " differ");
        Set<String> sanIds = new HashSet<>();
        rows.forEach(r -> check(v, r.sanId() != null && sanIds.add(r.sanId()), r.name() + " has SAN id " + r.sanId() + " (missing or shared)"));
        rig.peers.san().volumes().forEach(s -> check(v, s.groups().size() == 1, "SAN volume " + s.name() + " is granted to " + s.groups()));
        for (String call : List.of("createVolume", "grantAccess")) {
            long c = rig.peers.sanTime().calls().getOrDefault(call, 0L);
            check(v, c == n, "SAN " + call + " called " + c + " times for " + n + " attaches");
        }
        long attach = rig.peers.hostTime().calls().getOrDefault("attach", 0L);
        check(v, attach == n, "hypervisor attach called " + attach + " times for " + n + " attaches");
        check(v, rig.store.pending(Rig.POOL).provisionedBytes() == 0, "bytes still promised to volumes not on the SAN");
        return v;
    }

    /**
     * CPU time used so far: this JVM's ({@code OperatingSystemMXBean}) and the whole machine's busy time (Linux
     * {@code /proc/stat}, all CPUs; 0 where it cannot be read).
     */
    record Cpu(long processNanos, long machineNanos) {
        static Cpu now() {
            long process = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long machine = 0;
            try {
                String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait, in USER_HZ (100 a second)
                for (int i = 1; i < f.length && i <= 8; i++) {
                    if (i != 4 && i != 5) {
                        machine += Long.parseLong(f[i]);
                    }
                }
                machine *= 10_000_000L;
            } catch (java.io.IOException | RuntimeException e) {
                machine = 0;
            }
            return new Cpu(process, machine);
        }

        Cpu minus(Cpu before) {
            return new Cpu(processNanos - before.processNanos, machineNanos == 0 || before.machineNanos == 0 ? 0 : machineNanos - before.machineNanos);
        }
    }

    private static void check(List<String> violations, boolean ok, String what) {
        if (!ok) {
            violations.add(what);
        }
    }
}
