package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link CrashRecoveryIT}'s kill -9 on the real hypervisor: the SolidFire simulator on tgt and KVM on libvirt with a
 * running QEMU VM ({@link KvmKarafRig}). The runtime is killed the moment libvirt shows the disk in the VM (the attach
 * happened; whether the core stored it is a race), the moment the disk leaves it during a detach, and while the SAN
 * holds the revoke or the create; after a start and one pass, what libvirt, the SAN and the database say agrees.
 */
public class KvmCrashIT {
    private static KvmKarafRig rig;
    private static final List<String> MATRIX = new ArrayList<>();

    @BeforeClass
    public static void start() throws Exception {
        rig = KvmKarafRig.start("kvmcrash");
        RigStart.reconcileEvery5s(rig.karaf);
        rig.karaf.ok("storage:offering-create --tags kvm --min-iops 100 --max-iops 1000 --read-iops 300 kvmcrash");
    }

    @After
    public void removeVolumes() throws Exception {
        rig.removeVolumes();
    }

    @AfterClass
    public static void stop() throws Exception {
        System.out.println("KVM crash matrix (point | state after restart + reconcile | invariants):");
        MATRIX.forEach(l -> System.out.println("    " + l));
        if (rig != null) {
            rig.close();
        }
    }

    private static String volume(String name, boolean attached) throws Exception {
        rig.karaf.ok("storage:volume-create --offering kvmcrash --size 1G " + rig.volume(name));
        if (attached) {
            rig.karaf.ok("storage:volume-attach " + name + " " + rig.vmName);
        }
        return name;
    }

    private static String idOf(String name) throws Exception {
        return rig.karaf.json("storage:volume-show --json " + name).path("id").asText();
    }

    private static Callable<Boolean> diskPresent(String id, boolean present) {
        return () -> rig.spindleDiskAliases().contains("ua-spindle-" + id) == present;
    }

    private static String crash(String point, String name, String command, Callable<Boolean> reached) throws Exception {
        Kill9.during(rig.karaf, point, command, reached);
        rig.sim.faults().clear();
        Thread.sleep(Kill9.HOLD_MILLIS + 500); // the held SAN call lands now, with nobody waiting for its reply
        Kill9.startAndAwait(rig.karaf, KvmKarafRig.POOL, KvmKarafRig.HOST);
        rig.karaf.json("storage:reconcile --json");
        String state = rig.karaf.json("storage:volume-show --json " + name).path("state").asText();
        List<String> violations = violations();
        MATRIX.add(String.format("%-44s | %-10s | %s", point, state, violations.isEmpty() ? "hold" : "BROKEN " + violations));
        assertEquals(point + ": " + violations, List.of(), violations);
        return state;
    }

    /** What libvirt (the VM's Spindle disks), the SAN ({@link SanInvariants}) and the database say, checked against each other. */
    private static List<String> violations() throws Exception {
        Map<String, JsonNode> rows = SanInvariants.rows(rig.karaf);
        List<String> out = SanInvariants.check(rig.sim, rows).violations();
        List<String> disks = rig.spindleDiskAliases().stream().map(a -> a.substring("ua-spindle-".length())).toList();
        for (String id : disks) {
            JsonNode row = rows.get(id);
            if (!SanInvariants.attached(row)) {
                out.add(id + ": libvirt has its disk in the VM, the volume is " + SanInvariants.describe(row));
            }
        }
        for (JsonNode r : rows.values()) {
            if (SanInvariants.attached(r) && !disks.contains(r.path("id").asText())) {
                out.add(r.path("id").asText() + " (" + r.path("name").asText() + ") is ATTACHED but libvirt has no disk of it");
            }
        }
        return out;
    }

    @Test
    public void killAtTheHypervisorAndSanPointsOfAttachAndDetach_convergesOnRealLibvirt() throws Exception {
        String v = volume("kc1", false);
        String s = crash("libvirt shows the disk (attach)", v, "storage:volume-attach " + v + " " + rig.vmName, diskPresent(idOf(v), true));
        assertEquals("ATTACHED", s);

        v = volume("kc2", true);
        assertEquals("READY", crash("libvirt dropped the disk (detach)", v, "storage:volume-detach " + v, diskPresent(idOf(v), false)));

        v = volume("kc3", true);
        assertEquals("READY", crash("SAN revoke after the libvirt detach", v, "storage:volume-detach " + v,
                Kill9.holdSan(rig.sim, "RemoveVolumesFromVolumeAccessGroup")));

        v = volume("kc4", false);
        s = crash("SAN CreateVolume (create on attach)", v, "storage:volume-attach " + v + " " + rig.vmName, Kill9.holdSan(rig.sim, "CreateVolume"));
        assertTrue(s, List.of("READY", "ALLOCATED").contains(s));
        rig.karaf.ok("storage:volume-attach " + v + " " + rig.vmName);
        assertEquals(List.of(), violations());
    }
}
