package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.hyper.vmware.internal.VSphere.Datastore;
import org.spindle.hyper.vmware.internal.VSphere.Host;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * Managed attach and detach on spindle-vcsim's cluster of three hosts and a real tgt LUN with CHAP: what every
 * host and the VM show after each, limits changed and refused, grow, a host brought back up to date, CHAP (wrong,
 * mutual, an impostor target) and a host the SAN does not grant, VMs found. Steps that fail: {@link VmwareClusterFailuresTest}.
 */
class VmwareClusterTest extends ClusterFixture {
    @Test
    void attachReachesEveryHostDetachRemovesItAllAndReattachFindsTheData() {
        Attachment a = cluster.attach(request(iops(800, 0), lun.chap));
        assertEquals(VolumeLayout.vmdkPath(volume), a.device());
        assertEquals(VolumeLayout.datastoreName(volume), a.structure());
        assertAttachedEverywhere(800);
        assertEquals(a, cluster.attach(request(iops(800, 0), lun.chap)), "a repeated attach finds what exists");
        assertEquals(List.of(a), cluster.attachments().stream().filter(x -> x.volumeId().equals(volume)).toList(),
                "the disk is found again by its file name, as recovery needs");

        cluster.changeLimits(a, iops(1500, 1000));
        VmDisk changed = vsphere.disks(vm()).stream().filter(d -> d.fileName().equals(a.device())).findFirst().orElseThrow();
        assertEquals(1500, changed.iopsLimit());
        assertEquals(VolumeLayout.MAX_SHARES, changed.shares());

        cluster.detach(a, target(null));
        assertNothingLeft();
        assertTrue(cluster.attachments().stream().noneMatch(x -> x.volumeId().equals(volume)));
        cluster.detach(a, target(null)); // detaching what is detached succeeds

        Attachment again = cluster.attach(request(iops(900, 0), lun.chap));
        assertEquals(a.device(), again.device());
        assertAttachedEverywhere(900);
        cluster.detach(again, target(null));
        assertNothingLeft();
    }

    @Test
    void growExpandsTheDatastoreOverTheGrownLunAndTheDiskOverTheDatastore() throws Exception {
        Attachment a = cluster.attach(request(iops(800, 0), lun.chap));
        StorageException notYet = assertThrows(StorageException.class, () -> cluster.grow(a, 192L << 20));
        assertEquals("size", notYet.field(), "the SAN volume has not grown yet: vSphere cannot show it");
        lun.grow(192L << 20);
        cluster.grow(a, 192L << 20);
        Datastore ds = vsphere.datastore(VolumeLayout.datastoreName(volume)).orElseThrow();
        assertEquals(192L << 20, ds.capacityBytes());
        VmDisk disk = vsphere.disks(vm()).stream().filter(d -> d.fileName().equals(a.device())).findFirst().orElseThrow();
        assertEquals(VolumeLayout.vmdkKb(192L << 20), disk.capacityKb());
        assertEquals(800, disk.iopsLimit(), "growing keeps the limit");
        cluster.grow(a, 192L << 20);
        assertEquals(disk, vsphere.disks(vm()).stream().filter(d -> d.fileName().equals(a.device())).findFirst().orElseThrow());
        cluster.detach(a, target(null));
        assertNothingLeft();
    }

    @Test
    void updateHostsBringsTheVolumeBackToAHostThatLostIt() {
        Attachment a = cluster.attach(request(iops(500, 0), lun.chap));
        // a host that joined without the volume looks like this one: no static target, the VMFS unmounted
        String vmHost = vm().hostRef();
        Host third = vsphere.hosts().stream().filter(h -> !h.ref().equals(vmHost)).findFirst().orElseThrow();
        Datastore ds = vsphere.datastore(VolumeLayout.datastoreName(volume)).orElseThrow();
        vsphere.unmountVmfs(third, ds.vmfsUuid());
        vsphere.removeStaticTarget(third, staticTarget());
        vsphere.rescan(third);
        assertFalse(vsphere.staticTargets(third).contains(staticTarget()));
        assertEquals(a, cluster.updateHosts(a, target(lun.chap)));
        assertAttachedEverywhere(500);
        assertEquals(a, cluster.updateHosts(a, target(lun.chap)), "nothing to do the second time");
        cluster.detach(a, target(null));
        assertNothingLeft();
    }

    @Test
    void aWrongChapFailsNamingTheHostAndLeavesNothing() {
        Chap wrong = new Chap(lun.chap.username(), Secret.of("not-the-secret-1"));
        StorageException e = assertThrows(StorageException.class, () -> cluster.attach(request(iops(500, 0), wrong)));
        assertEquals(StorageException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("does not see a disk of target " + lun.iqn), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-secret-1"));
        assertNothingLeft();
    }

    @Test
    void mutualChapAttachesAndATargetThatCannotProveItselfIsNotUsed() throws Exception {
        Chap mutual = lun.mutual("vmwclustertarget", "target-secret-4567");
        Chap impostor = new Chap(mutual.username(), mutual.secret(), mutual.targetUsername(), Secret.of("not-the-target-1"));
        StorageException e = assertThrows(StorageException.class, () -> cluster.attach(request(iops(500, 0), impostor)));
        assertTrue(e.getMessage().contains("does not see a disk of target " + lun.iqn), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-target-1") || e.getMessage().contains("target-secret-4567"));
        assertNothingLeft();

        Attachment a = cluster.attach(request(iops(500, 0), mutual));
        assertAttachedEverywhere(500);
        cluster.detach(a, target(null));
        assertNothingLeft();
    }

    @Test
    void aHostThatDoesNotReachTheLunRefusesTheAttachNamingItAndLeavesNothing() throws Exception {
        List<Host> hosts = vsphere.hosts();
        Host left = hosts.stream().filter(h -> !h.ref().equals(vm().hostRef())).findFirst().orElseThrow();
        lun.grantOnly(hosts.stream().filter(h -> h != left).map(Host::iqn).toList());
        StorageException e = assertThrows(StorageException.class, () -> cluster.attach(request(iops(500, 0), lun.chap)));
        assertEquals(StorageException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains(left.name()) && e.getMessage().contains("do not reach datastore"), e.getMessage());
        assertNothingLeft();

        lun.grantOnly(List.of(left.iqn())); // the SAN grants the host it missed: the attach goes through
        Attachment a = cluster.attach(request(iops(500, 0), lun.chap));
        assertAttachedEverywhere(500);
        cluster.detach(a, target(null));
        assertNothingLeft();
    }

    @Test
    void bandwidthCapsSplitLimitsAndBurstsAreRefusedSayingWhy() {
        IoLimits bandwidth = new IoLimits(Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.of(100L << 20));
        StorageException bps = assertThrows(StorageException.class, () -> cluster.attach(request(bandwidth, lun.chap)));
        assertEquals(StorageException.Reason.QOS_REFUSED, bps.reason());
        assertTrue(bps.getMessage().contains("bandwidth cap cannot be enforced on VMware"), bps.getMessage());
        IoLimits split = new IoLimits(Limit.of(100), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);
        assertEquals(StorageException.Reason.QOS_REFUSED,
                assertThrows(StorageException.class, () -> cluster.attach(request(split, lun.chap))).reason());
        IoLimits burst = new IoLimits(Limit.NONE, Limit.NONE, new Limit(100, 200, 10), Limit.NONE, Limit.NONE, Limit.NONE);
        assertEquals(StorageException.Reason.QOS_REFUSED,
                assertThrows(StorageException.class, () -> cluster.attach(request(burst, lun.chap))).reason());
        assertNothingLeft();
    }

    @Test
    void findsVmsByInstanceUuidManagedObjectIdAndName() {
        Vm vm = vm();
        assertEquals(vm.name(), cluster.findVm(vm.instanceUuid()).orElseThrow().name());
        assertEquals(vm.instanceUuid(), cluster.findVm(vm.ref()).orElseThrow().id());
        assertEquals(vm.instanceUuid(), cluster.findVm(vm.name()).orElseThrow().id());
        assertTrue(cluster.findVm("no-such-vm").isEmpty());
        assertTrue(cluster.findVm(vm.name()).orElseThrow().host().startsWith("DC0_C0_H"));
    }
}
