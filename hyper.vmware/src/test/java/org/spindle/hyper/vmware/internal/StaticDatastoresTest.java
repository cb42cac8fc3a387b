package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * Volumes in an operator's datastore (vcsim's LocalDS_0, on every host): a VMDK made, attached with its limit,
 * changed, grown, detached (the file stays), deleted; each step repeatable; other datastores and foreign files refused.
 */
class StaticDatastoresTest extends VcsimFixture {
    static final String DS = "LocalDS_0";

    @Override
    List<String> staticDatastores() {
        return List.of(DS);
    }

    Vm vm() {
        return vsphere.vms().stream().filter(v -> v.name().endsWith("VM1")).findFirst().orElseThrow();
    }

    VmDisk disk(String file) {
        return vsphere.disks(vm()).stream().filter(d -> d.fileName().equals(file)).findFirst().orElse(null);
    }

    @Test
    void aVolumeIsAVmdkInTheDatastoreFromCreationToDeletion() {
        UUID id = UUID.randomUUID();
        Target t = cluster.createDisk(new StaticDiskRequest(id, "s1", DS, 64L << 20));
        assertEquals(Protocols.FILE, t.protocol());
        assertEquals("[" + DS + "] spindle-" + id + ".vmdk", t.name());
        assertTrue(vsphere.fileExists(t.name()));
        assertEquals(t, cluster.createDisk(new StaticDiskRequest(id, "s1", DS, 64L << 20)), "a repeat finds the disk");

        Vm vm = vm();
        IoLimits limits = new IoLimits(Limit.NONE, Limit.NONE, Limit.of(300), Limit.NONE, Limit.NONE, Limit.NONE);
        AttachRequest request = new AttachRequest(id, "s1", 64L << 20, new VmInfo(vm.instanceUuid(), vm.name(), "", true), t, false,
                limits);
        Attachment a = cluster.attach(request);
        assertFalse(a.managed());
        assertEquals(t.name(), a.device());
        assertEquals(DS, a.structure());
        assertEquals(300, disk(t.name()).iopsLimit());
        assertEquals(a, cluster.attach(request), "a repeated attach finds the disk");
        assertEquals(List.of(a), cluster.attachments().stream().filter(x -> x.volumeId().equals(id)).toList());
        assertTrue(new VmwareCluster(vsphere, "DC0_C0").attachments().stream().noneMatch(x -> x.volumeId().equals(id)),
                "a disk in a datastore the service does not offer is not Spindle's to report");
        assertEquals(1, vsphere.disks(vm()).stream().filter(d -> d.fileName().equals(t.name())).count());

        cluster.changeLimits(a, new IoLimits(Limit.NONE, Limit.NONE, Limit.of(450), Limit.NONE, Limit.NONE, Limit.NONE));
        assertEquals(450, disk(t.name()).iopsLimit());
        cluster.grow(a, 96L << 20);
        assertEquals(96L * 1024, disk(t.name()).capacityKb());

        cluster.detach(a, t);
        assertEquals(null, disk(t.name()));
        assertTrue(vsphere.fileExists(t.name()), "detach keeps the volume's file");
        cluster.detach(a, t);
        cluster.deleteDisk(t);
        assertFalse(vsphere.fileExists(t.name()));
        cluster.deleteDisk(t);
    }

    @Test
    void otherDatastoresAndForeignFilesAreRefused() {
        UUID id = UUID.randomUUID();
        assertEquals("structure", assertThrows(StorageException.class,
                () -> cluster.createDisk(new StaticDiskRequest(id, "s2", "OtherDS", 1L << 20))).field());
        Target foreign = new Target(Protocols.FILE, List.of(), "[" + DS + "] someone-elses.vmdk", 0, null, null);
        assertEquals("target.name", assertThrows(StorageException.class, () -> cluster.deleteDisk(foreign)).field());
        VmwareCluster noStatics = new VmwareCluster(vsphere, "DC0_C0");
        assertEquals("structure", assertThrows(StorageException.class,
                () -> noStatics.createDisk(new StaticDiskRequest(id, "s2", DS, 1L << 20))).field());
    }
}
