package org.spindle.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.spindle.solidfire.simulator.Views;

/**
 * An attach the SAN refuses after the core made the SAN volume, through Karaf on the real peers ({@link KvmKarafRig}):
 * nothing is left on either side, and a retry attaches.
 */
public class KvmRefusedAttachIT {
    private static KvmKarafRig rig;

    @BeforeClass
    public static void start() throws Exception {
        rig = KvmKarafRig.start("refused");
    }

    @After
    public void removeVolumes() throws Exception {
        rig.removeVolumes();
    }

    @AfterClass
    public static void cleanUp() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    public void attachRefusedByTheSanLeavesNothingOnEitherSide() throws Exception {
        rig.karaf.ok("storage:offering-create --tags kvm --min-iops 100 --max-iops 1000 --read-iops 300 kvmrefused",
                "storage:volume-create --offering kvmrefused --size 1G " + rig.volume("kvr"));
        UUID id = UUID.fromString(rig.karaf.json("storage:volume-show --json kvr").path("id").asText());
        String refusal = "access group limit reached (test)";
        rig.sim.faults().failNext("CreateVolumeAccessGroup", 1, "xExceededLimit", refusal)
                .failNext("AddVolumesToVolumeAccessGroup", 1, "xExceededLimit", refusal);
        String error;
        try {
            error = rig.karaf.fails("storage:volume-attach kvr " + rig.vmName);
        } finally {
            rig.sim.faults().clear();
        }
        assertTrue(error, error.contains(refusal));
        assertEquals("READY", rig.karaf.json("storage:volume-show --json kvr").path("state").asText());
        Views.Volume onSan = rig.sim.volumes().stream().filter(v -> id.toString().equals(v.attributes().get("spindle-uuid")))
                .findFirst().orElseThrow(() -> new AssertionError("the SAN volume was made before the grant: " + rig.sim.volumes()));
        assertEquals("the volume is in no access group", List.of(), onSan.volumeAccessGroups());
        assertTrue("no access group lists the volume: " + rig.sim.accessGroups(),
                rig.sim.accessGroups().stream().noneMatch(g -> g.volumes().contains(onSan.volumeID())));
        assertEquals("no libvirt secret for " + rig.vmName, List.of(), rig.vm.secrets());
        assertFalse("no disk in the running VM", rig.vm.liveXml().contains(LibvirtVm.alias(id)));
        assertFalse("no disk in the persistent config", rig.vm.configXml().contains(LibvirtVm.alias(id)));
        assertEquals("no iSCSI session", List.of(), Peers.tgtSessions(onSan.iqn()));

        // the retry attaches it, then everything goes
        assertEquals("ATTACHED", KarafProcess.jsons(rig.karaf.ok("storage:volume-attach kvr " + rig.vmName, "storage:volume-show --json kvr")).get(0)
                .path("state").asText());
        assertFalse(rig.sim.volume(onSan.volumeID()).orElseThrow().volumeAccessGroups().isEmpty());
        assertEquals(1, rig.vm.secrets().size());
        assertTrue(rig.vm.liveDisk(id), rig.vm.liveDisk(id).contains("<read_iops_sec>300</read_iops_sec>"));
        rig.karaf.ok("storage:volume-detach kvr", "storage:volume-delete kvr", "storage:offering-delete kvmrefused");
        assertEquals(List.of(), rig.vm.secrets());
        assertTrue("the SAN volume is deleted", rig.sim.volume(onSan.volumeID()).isEmpty());
    }

}
