package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.spindle.solidfire.simulator.Views;

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
        Files.writeString(rig.karaf.home.resolve("etc/org.spindle.storage.reconcile.cfg"), "interval.seconds = 5\norphan.grace.seconds = 0\n");
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

    /** What libvirt (the VM's Spindle disks), the SAN (volumes, access groups) and the database say, checked against each other. */
    private static List<String> violations() throws Exception {
        List<String> out = new ArrayList<>();
        Map<String, JsonNode> rows = new HashMap<>();
        for (JsonNode v : rig.karaf.json("storage:volume-list --json")) {
            rows.put(v.path("id").asText(), v);
            if (List.of("CREATING", "ATTACHING", "DETACHING", "RESIZING", "CHANGING_QOS", "DESTROYING").contains(v.path("state").asText())) {
                out.add(v.path("name").asText() + " is still " + v.path("state").asText());
            }
        }
        List<String> disks = rig.spindleDiskAliases().stream().map(a -> a.substring("ua-spindle-".length())).toList();
        for (String id : disks) {
            JsonNode row = rows.get(id);
            if (row == null || !"ATTACHED".equals(row.path("state").asText())) {
                out.add("libvirt has the disk of " + id + " in the VM, the volume is " + (row == null ? "gone" : row.path("state").asText()));
            }
        }
        Map<Long, String> volumeOfSanId = new HashMap<>();
        for (Views.Volume v : rig.sim.volumes()) {
            Object uuid = v.attributes().get("spindle-uuid");
            if (uuid == null || !"active".equals(v.status())) {
                continue;
            }
            volumeOfSanId.put(v.volumeID(), uuid.toString());
            JsonNode row = rows.get(uuid.toString());
            if (row == null || !String.valueOf(v.volumeID()).equals(row.path("sanId").asText())) {
                out.add("SAN volume " + v.volumeID() + " is not the one of a live volume");
            }
        }
        for (JsonNode r : rows.values()) {
            if ("ATTACHED".equals(r.path("state").asText()) && !disks.contains(r.path("id").asText())) {
                out.add(r.path("name").asText() + " is ATTACHED but libvirt has no disk of it");
            }
        }
        for (Views.AccessGroup g : rig.sim.accessGroups()) {
            for (Long sanId : g.volumes()) {
                JsonNode row = rows.get(volumeOfSanId.get(sanId));
                if (row == null || !"ATTACHED".equals(row.path("state").asText())) {
                    out.add("access group " + g.name() + " still grants SAN volume " + sanId);
                }
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
