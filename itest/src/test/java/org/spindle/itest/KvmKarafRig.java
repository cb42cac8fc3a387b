package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.solidfire.simulator.Views;
import org.spindle.test.support.Commands;

/**
 * What the KVM process tests run against, one per test class: an Element simulator in this JVM serving real tgt
 * LUNs ({@code target.lun = 1}), the distribution as a process with its SolidFire driver pointed at it and its KVM
 * attach service at the local libvirtd, both configured by {@code etc/*.cfg} files, and a running no-OS QEMU (TCG) VM.
 * Names carry a random run id, so nothing collides with another engineer's or another run's.
 *
 * <p>Clean-up happens at two levels. {@link #removeVolumes()} (a test's {@code @After}) takes every volume the test
 * made away, first through the shell, then directly where that failed: the VM's Spindle disks, Spindle's secrets
 * for the VM, the SAN volumes; and then checks that none is left. {@link #close()} ({@code @AfterClass}) stops the
 * distribution and removes the VM, its secrets and the simulator (with its tgt targets), also after a failure.
 */
final class KvmKarafRig implements AutoCloseable {
    static final Duration READY = Duration.ofSeconds(120);
    static final String POOL = "sfv";
    static final String ZONE = "zkvm";
    static final String HOST = "local";
    static final String INITIATOR = "iqn.2026-11.org.spindle.itest:local";
    static final long MIB = 1024 * 1024;
    static final Pattern DEVICE = Pattern.compile(" as (sd[a-z]+)");

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String vmName;
    final Path work;
    ElementSimulator sim;
    KarafProcess karaf;
    LibvirtVm vm;
    private final List<String> volumes = new ArrayList<>();

    private KvmKarafRig(String test) throws Exception {
        this.vmName = "spindle-itest-" + test + "-" + run;
        this.work = Files.createDirectories(Paths.get("target/kvm-" + test).toAbsolutePath());
    }

    /**
     * Starts the simulator, the VM and the distribution for {@code test} (a short name: directory and VM name), the
     * KVM host configured by {@link #hostConfig}; waits until pool and host are there. What was started is closed
     * again if a later step fails.
     */
    static KvmKarafRig start(String test) throws Exception {
        Peers.requireTgt();
        Peers.requireLibvirt();
        KvmKarafRig rig = new KvmKarafRig(test);
        return RigStart.orClose(rig, () -> {
            rig.vm = LibvirtVm.define(rig.vmName, rig.work);
            rig.sim = RigStart.san("it" + rig.run);
            rig.karaf = RigStart.unpack(rig.work.resolve("spindle"));
            // tgt accounts are global to the tgtd: the SolidFire tests beside this one use the default prefix
            RigStart.solidFire(rig.karaf, rig.sim, POOL, ZONE, "kvm", "kvm");
            Files.writeString(rig.karaf.home.resolve("etc/org.spindle.hyper.kvm-" + HOST + ".cfg"), hostConfig());
            System.out.printf("%s: bin/start -> pool %s and KVM host %s ready in %.1f s%n", test, POOL, HOST,
                    Kill9.startAndAwait(rig.karaf, POOL, HOST));
        });
    }

    /** The KVM host's configuration file as the tests write it. */
    static String hostConfig() {
        return "libvirt.uri = " + Peers.LIBVIRT_URI + "\nhypervisor.host = " + HOST + "\nstorage.zone = " + ZONE
                + "\ninitiator.iqn = " + INITIATOR + "\ndisk.bus = scsi\n";
    }

    /** Records a volume the running test makes, for {@link #removeVolumes()}. */
    String volume(String name) {
        volumes.add(name);
        return name;
    }

    /**
     * Removes what the test made: each recorded volume detached and deleted through the shell (best effort), then
     * directly whatever is still there: Spindle's disks in the VM, Spindle's secrets for the VM, every SAN volume of
     * this simulator. Fails when something could not be removed.
     */
    void removeVolumes() throws Exception {
        List<String> names = List.copyOf(volumes);
        volumes.clear();
        for (String name : names) {
            KarafProcess.Result shown = karaf.client("storage:volume-show --json " + name);
            if (shown.exit() != 0) {
                continue; // never made, or deleted by the test
            }
            karaf.client("storage:volume-detach " + name);
            karaf.client("storage:volume-delete " + name);
        }
        for (String alias : spindleDiskAliases()) {
            Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "detach-device-alias", vm.uuid(), alias, "--live", "--config");
        }
        for (String uuid : vm.secrets()) {
            Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "secret-undefine", uuid);
        }
        for (Views.Volume v : sim.volumes()) {
            sim.invoke("DeleteVolume", JsonNodeFactory.instance.objectNode().put("volumeID", v.volumeID()), "12.3");
            sim.invoke("PurgeDeletedVolume", JsonNodeFactory.instance.objectNode().put("volumeID", v.volumeID()), "12.3");
        }
        await(Duration.ofSeconds(20), "Spindle's disks leave " + vmName, () -> spindleDiskAliases().isEmpty());
        assertEquals("no Spindle secret left for " + vmName, List.of(), vm.secrets());
        assertEquals("no SAN volume left", List.of(), sim.volumes());
    }

    /** Aliases of Spindle's disks ({@code ua-spindle-…}) in the VM's live or persistent XML. */
    List<String> spindleDiskAliases() {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<alias name='(ua-spindle-[0-9a-f-]{36})'/>").matcher(vm.liveXml() + vm.configXml());
        while (m.find()) {
            if (!out.contains(m.group(1))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        cleanUp(closing(karaf), () -> LibvirtVm.remove(vmName), () -> {
            for (String uuid : vm == null ? List.<String>of() : vm.secrets()) {
                Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "secret-undefine", uuid);
            }
        }, closing(sim), () -> assertFalse("the VM " + vmName + " is gone",
                Commands.run("virsh", "-c", Peers.LIBVIRT_URI, "domuuid", vmName).exit() == 0));
    }

    interface Step {
        void run() throws Exception;
    }

    static void step(List<Throwable> problems, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            problems.add(e);
        }
    }

    /** A clean-up step that closes {@code c}, if there is one. */
    static Step closing(AutoCloseable c) {
        return () -> {
            if (c != null) {
                c.close();
            }
        };
    }

    /** Runs every step of a clean-up, each also when one before failed; then fails with what they threw, if any. */
    static void cleanUp(Step... steps) {
        List<Throwable> problems = new ArrayList<>();
        for (Step s : steps) {
            step(problems, s);
        }
        if (!problems.isEmpty()) {
            AssertionError e = new AssertionError("clean-up failed");
            problems.forEach(e::addSuppressed);
            throw e;
        }
    }

    // ---------------------------------------------------------------- shared helpers

    static void await(String what, Callable<Boolean> condition) throws Exception {
        await(Duration.ofSeconds(20), what, condition);
    }

    static void await(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    static JsonNode byField(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        return null;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
