package org.spindle.itest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.spindle.solidfire.simulator.ElementSimulator;

/**
 * What the crash tests run against: the Element simulator in this JVM serving real tgt LUNs (it outlives the
 * runtime, as a SAN does), the distribution as a process with its SolidFire driver pointed at it, and the test
 * attach service in the distribution keeping its disks in a directory of this test ({@code state.dir}), so they
 * too outlive a {@code kill -9} of the runtime. Reconciliation runs every 5 s and removes orphans at once.
 * {@link #violations} is the checker: it reads the SAN, the hypervisor's disks and the database (through the
 * shell) and lists every broken invariant.
 */
final class CrashRig implements AutoCloseable {
    static final Duration READY = Duration.ofSeconds(120);
    static final String POOL = "sfc";
    static final String ZONE = "zc";
    static final String HOST = "h1";

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final Path state;
    ElementSimulator sim;
    KarafProcess karaf;

    private CrashRig(Path work) {
        this.state = work.resolve("hypervisor");
    }

    static CrashRig start(String test) throws Exception {
        return start(test, null);
    }

    /**
     * Starts the simulator and a distribution; {@code database} (lines of etc/org.spindle.storage.database.cfg) points it
     * at a shared database, else it uses its embedded H2. {@link #node} adds more distributions over the same peers.
     */
    static CrashRig start(String test, String database) throws Exception {
        Peers.requireTgt();
        Path work = Files.createDirectories(Paths.get("target/" + test).toAbsolutePath());
        CrashRig rig = new CrashRig(work);
        // the test hypervisor of an earlier run (its disks, its crash points) is not this run's
        if (Files.exists(rig.state)) {
            try (var files = Files.walk(rig.state)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        return RigStart.orClose(rig, () -> {
            rig.sim = RigStart.san("cr" + rig.run);
            rig.karaf = rig.node(work.resolve("spindle"), database);
            rig.startAndAwait();
        });
    }

    /** A distribution unpacked into {@code dir}, configured for this rig's peers (not started). */
    KarafProcess node(Path dir, String database) throws Exception {
        KarafProcess k = RigStart.unpack(dir);
        Path home = k.home;
        Files.copy(Paths.get(System.getProperty("spindle.itest.attach.jar")), home.resolve("deploy/org.spindle.itest.attach.jar"));
        RigStart.solidFire(k, sim, POOL, ZONE, "crash", null);
        Files.writeString(home.resolve("etc/org.spindle.itest.attach-" + HOST + ".config"),
                "hypervisor.hosts=[\"" + HOST + "\"]\nstorage.zone=\"" + ZONE + "\"\nstorage.protocols=[\"iscsi\"]\n"
                        + "hypervisor.limits=[\"iops\",\"bps\",\"read-write\",\"total\",\"burst\",\"burst-length\"]\n"
                        + "vms=[\"vm1\",\"vm2\"]\nstate.dir=\"" + state + "\"\n");
        RigStart.reconcileEvery5s(k);
        if (database != null) {
            Files.writeString(home.resolve("etc/org.spindle.storage.database.cfg"), database);
        }
        return k;
    }

    /** bin/start, then waits until the pool and the host are bound; returns the seconds it took. */
    double startAndAwait() throws Exception {
        return startAndAwait(karaf);
    }

    /** bin/start of {@code k}, then waits until the pool and the host are bound there; returns the seconds it took. */
    static double startAndAwait(KarafProcess k) throws Exception {
        return Kill9.startAndAwait(k, POOL, HOST);
    }

    /** The crash point the test hypervisor is blocked at, if any. */
    String paused() throws Exception {
        Path p = state.resolve("paused");
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
    }

    void arm(String file) throws Exception {
        Files.writeString(state.resolve(file), "armed");
    }

    void disarm() throws Exception {
        try (var files = Files.list(state)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("pause-") || n.startsWith("lose-") || n.equals("paused")) {
                    Files.delete(f);
                }
            }
        }
        sim.faults().clear();
    }

    /** The test hypervisor's disks now: volume id to VM id. */
    Map<String, String> disks() throws Exception {
        Map<String, String> out = new HashMap<>();
        Path f = state.resolve("disks.tsv");
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    String[] c = line.split("\t", -1);
                    out.put(c[0], c[1]);
                }
            }
        }
        return out;
    }

    /**
     * Every broken invariant: {@link SanInvariants} (nothing in flight, every SAN volume Spindle made belongs to exactly
     * one live volume which records it, only ATTACHED volumes in an access group, every name in {@code alive} a live
     * volume), and every disk on the hypervisor belongs to a volume ATTACHED to that VM and every ATTACHED volume has
     * its disk.
     */
    List<String> violations(List<String> alive) throws Exception {
        Map<String, JsonNode> rows = SanInvariants.rows(karaf);
        List<String> out = SanInvariants.check(sim, rows).violations();
        Map<String, String> disks = disks();
        disks.forEach((volume, vm) -> {
            JsonNode row = rows.get(volume);
            if (row == null || !"ATTACHED".equals(row.path("state").asText()) || !vm.equals(row.path("attachment").path("vmId").asText())) {
                out.add(volume + ": a disk of it is on VM " + vm + " but the volume is "
                        + (row == null ? "gone" : row.path("state").asText() + " " + row.path("attachment")));
            }
        });
        for (JsonNode r : rows.values()) {
            if ("ATTACHED".equals(r.path("state").asText()) && !disks.containsKey(r.path("id").asText())) {
                out.add(r.path("id").asText() + " (" + r.path("name").asText() + ") is ATTACHED but no disk is on the hypervisor");
            }
        }
        out.addAll(SanInvariants.lost(rows, alive));
        return out;
    }

    @Override
    public void close() throws Exception {
        KvmKarafRig.cleanUp(KvmKarafRig.closing(karaf), KvmKarafRig.closing(sim));
    }
}
