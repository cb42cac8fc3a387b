package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.spindle.hyper.vmware.internal.VSphere.Datastore;
import org.spindle.hyper.vmware.internal.VSphere.Host;
import org.spindle.hyper.vmware.internal.VSphere.StaticTarget;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * What the managed attach tests on a cluster share: spindle-vcsim's cluster of three hosts ({@link VcsimFixture}),
 * a real tgt LUN with CHAP and a volume of their own for each test, the service over them, and what every host and the
 * VM show when the volume is attached, or when nothing is left of it.
 */
abstract class ClusterFixture extends VcsimFixture {
    static int nextTid = 47130; // counts on across the test classes: each LUN has a tgt target id of its own
    TgtLun lun;
    UUID volume;

    @BeforeAll
    static void tgt() {
        TgtLun.requireTgt();
    }

    @BeforeEach
    void firstVolume() throws Exception {
        newVolume();
    }

    /** A new volume on a SAN volume of its own: a LUN that holds one volume's VMFS is that volume's. */
    void newVolume() throws IOException {
        lun = newLun(nextTid++);
        volume = UUID.randomUUID();
    }

    /** The LUN of a new volume, tgt target id {@code tid}. */
    TgtLun newLun(int tid) throws IOException {
        return TgtLun.create(dir, tid, "cluster-test-" + tid, 128L << 20, "vmwclustertest", "cluster-secret-123");
    }

    @AfterEach
    void closeLun() throws Exception {
        lun.close();
    }

    Target target(Chap chap) {
        return new Target(Protocols.ISCSI, List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null, chap);
    }

    Vm vm() {
        return vsphere.vms().stream().filter(v -> v.name().endsWith("VM0")).findFirst().orElseThrow();
    }

    AttachRequest request(IoLimits limits, Chap chap) {
        Vm vm = vm();
        return new AttachRequest(volume, "vol", lun.bytes, new VmInfo(vm.instanceUuid(), vm.name(), "", true), target(chap),
                true, limits);
    }

    static IoLimits iops(long total, int weight) {
        return new IoLimits(Limit.NONE, Limit.NONE, Limit.of(total), Limit.NONE, Limit.NONE, Limit.NONE, weight);
    }

    StaticTarget staticTarget() {
        return new StaticTarget("127.0.0.1", 3260, lun.iqn);
    }

    /** What an attach had made when the runtime died before the disk (or a vCenter call it had given up made later): static targets and rescans, the datastore. */
    void datastoreWithoutDisk() {
        List<Host> hosts = vsphere.hosts();
        for (Host h : hosts) {
            vsphere.addStaticTarget(h, staticTarget(), lun.chap);
            vsphere.rescan(h);
        }
        if (vsphere.datastore(VolumeLayout.datastoreName(volume)).isPresent()) {
            return; // the LUN holds the volume's VMFS from an earlier attach: it came back with the rescan
        }
        Host host = hosts.stream().filter(h -> h.ref().equals(vm().hostRef())).findFirst().orElseThrow();
        vsphere.createVmfsDatastore(host, vsphere.disks(host).stream().filter(d -> d.targetIqn().equals(lun.iqn)).findFirst()
                .orElseThrow(), VolumeLayout.datastoreName(volume));
        hosts.forEach(vsphere::rescan);
    }

    void assertAttachedEverywhere(long limit) {
        Datastore ds = vsphere.datastore(VolumeLayout.datastoreName(volume)).orElseThrow();
        for (Host h : vsphere.hosts()) {
            assertTrue(vsphere.staticTargets(h).contains(staticTarget()), h.name() + " has the static target");
            assertTrue(ds.mounts().stream().anyMatch(m -> m.hostRef().equals(h.ref()) && m.mounted() && m.accessible()),
                    h.name() + " mounts " + ds.name());
        }
        VmDisk disk = vsphere.disks(vm()).stream().filter(d -> d.fileName().equals(VolumeLayout.vmdkPath(volume))).findFirst()
                .orElseThrow();
        assertEquals(limit, disk.iopsLimit());
        assertEquals(VolumeLayout.vmdkKb(lun.bytes), disk.capacityKb());
    }

    void assertNothingLeft() {
        assertTrue(vsphere.datastore(VolumeLayout.datastoreName(volume)).isEmpty(), "no datastore listed");
        for (Host h : vsphere.hosts()) {
            assertFalse(vsphere.staticTargets(h).contains(staticTarget()), h.name() + " keeps no static target");
            assertTrue(vsphere.disks(h).stream().noneMatch(d -> d.targetIqn().equals(lun.iqn)), h.name() + " sees no LUN");
        }
        assertTrue(vsphere.disks(vm()).stream().noneMatch(d -> d.fileName().contains(volume.toString())), "the VM has no disk");
    }
}
