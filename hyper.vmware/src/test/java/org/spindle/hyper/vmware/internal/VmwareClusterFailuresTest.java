package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.spindle.hyper.vmware.internal.VSphere.Datastore;
import org.spindle.hyper.vmware.internal.VSphere.Mount;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.storage.api.attach.Attachment;

/**
 * Managed attach and detach on spindle-vcsim's cluster when a step fails, is interrupted or loses its reply: a detach
 * interrupted after each step still lets the volume attach again (apache/cloudstack#7148), a datastore a crash left
 * without its disk is listed and cleared, a failed attach leaves nothing and can be retried, a failed detach converges
 * when repeated, and one whose reply was lost goes on over what is left ({@link FailingVSphere} wraps the real client).
 */
class VmwareClusterFailuresTest extends ClusterFixture {
    @Test
    void aDetachInterruptedAtEachStepStillLetsTheVolumeAttachAgain() {
        List<Consumer<Attachment>> interruptedAfter = List.of(
                a -> removeDiskOnly(),
                a -> { removeDiskOnly(); unmountOn(1); },
                a -> { removeDiskOnly(); unmountOn(3); removeTargetsOn(2); },
                a -> { removeDiskOnly(); unmountOn(3); removeTargetsOn(3); });
        for (Consumer<Attachment> partialDetach : interruptedAfter) {
            Attachment a = cluster.attach(request(iops(600, 0), lun.chap));
            partialDetach.accept(a);
            Attachment again = cluster.attach(request(iops(700, 0), lun.chap));
            assertAttachedEverywhere(700);
            cluster.detach(again, target(null));
            assertNothingLeft();
        }
    }

    @Test
    void aDatastoreLeftWithoutItsDiskIsListedAndItsDetachClearsIt() {
        datastoreWithoutDisk();
        Attachment halfMade = new Attachment(volume, "", "", "", "", VolumeLayout.datastoreName(volume), true);
        assertEquals(List.of(halfMade), cluster.attachments().stream().filter(a -> a.volumeId().equals(volume)).toList(),
                "listed with no VM and no device, for the core's sweep");
        assertTrue(cluster.findAttachment(volume).isEmpty(), "not an attachment recovery may roll forward to");
        cluster.detach(halfMade, target(null));
        assertNothingLeft();
        assertTrue(cluster.attachments().stream().noneMatch(a -> a.volumeId().equals(volume)));

        // the attach path converges too: a retried attach takes the datastore it finds
        datastoreWithoutDisk();
        Attachment a = cluster.attach(request(iops(500, 0), lun.chap));
        assertAttachedEverywhere(500);
        assertEquals(Optional.of(a), cluster.findAttachment(volume));
        cluster.detach(a, target(null));
        assertNothingLeft();
    }

    @Test
    void aDatastoreLeftWithoutItsDiskAfterTheSanRevokedAccessIsStillCleared() throws Exception {
        datastoreWithoutDisk();
        lun.close(); // recovery revoked the access: the hosts lose the LUN, the datastore stays, inaccessible
        vsphere.hosts().forEach(vsphere::rescan);
        Datastore ds = vsphere.datastore(VolumeLayout.datastoreName(volume)).orElseThrow();
        assertTrue(ds.mounts().stream().noneMatch(Mount::accessible), "inaccessible on every host");
        Attachment halfMade = cluster.attachments().stream().filter(a -> a.volumeId().equals(volume)).findFirst().orElseThrow();
        assertEquals("", halfMade.device());
        cluster.detach(halfMade, target(null));
        assertNothingLeft();
    }

    private void removeDiskOnly() {
        Vm vm = vm();
        vsphere.disks(vm).stream().filter(d -> d.fileName().equals(VolumeLayout.vmdkPath(volume))).findFirst()
                .ifPresent(d -> vsphere.removeDisk(vm, d));
    }

    private void unmountOn(int hosts) {
        Datastore ds = vsphere.datastore(VolumeLayout.datastoreName(volume)).orElseThrow();
        vsphere.hosts().stream().limit(hosts).forEach(h -> vsphere.unmountVmfs(h, ds.vmfsUuid()));
    }

    private void removeTargetsOn(int hosts) {
        vsphere.hosts().stream().limit(hosts).forEach(h -> vsphere.removeStaticTarget(h, staticTarget()));
    }

    @Test
    void anAttachFailingAtEachStepLeavesNothingAndCanBeRetried() throws Exception {
        FailingVSphere failing = new FailingVSphere(vsphere);
        VmwareCluster flaky = new VmwareCluster(failing, "DC0_C0");
        Object[][] failures = {
                {"addStaticTarget", 1, false}, {"addStaticTarget", 2, true}, {"rescan", 3, false},
                {"createVmfsDatastore", 1, false}, {"createVmfsDatastore", 1, true}, {"freeSlot", 1, false},
                {"addDisk", 1, false}, {"addDisk", 1, true}, {"mountVmfs", 1, false}, {"attachDisk", 1, true}};
        for (Object[] f : failures) {
            String what = f[0] + " #" + f[1] + ((Boolean) f[2] ? " (answer lost)" : "");
            // a SAN volume of its own for each case, so that each step is reached
            lun.close();
            newVolume();
            if ("mountVmfs".equals(f[0]) || "attachDisk".equals(f[0])) {
                // these steps run only when the volume was attached before: its VMFS and VMDK exist
                flaky.detach(flaky.attach(request(iops(500, 0), lun.chap)), target(null));
            }
            failing.failOn((String) f[0], (Integer) f[1], (Boolean) f[2]);
            RuntimeException e = assertThrows(RuntimeException.class, () -> flaky.attach(request(iops(500, 0), lun.chap)), what);
            assertTrue(e.getMessage().contains("injected"), what + ": " + e);
            assertNothingLeftAfter(what);
            Attachment a = flaky.attach(request(iops(500, 0), lun.chap));
            assertAttachedEverywhere(500);
            flaky.detach(a, target(null));
            assertNothingLeftAfter(what + ", then attach and detach");
        }
    }

    @Test
    void aDetachFailingAtEachStepConvergesWhenRepeated() {
        FailingVSphere failing = new FailingVSphere(vsphere);
        VmwareCluster flaky = new VmwareCluster(failing, "DC0_C0");
        Object[][] failures = {
                {"removeDisk", 1, false}, {"removeDisk", 1, true}, {"unmountVmfs", 2, false}, {"unmountVmfs", 3, true},
                {"removeStaticTarget", 1, true}, {"removeStaticTarget", 3, false}, {"rescan", 2, false}};
        for (Object[] f : failures) {
            String what = f[0] + " #" + f[1] + ((Boolean) f[2] ? " (answer lost)" : "");
            Attachment a = flaky.attach(request(iops(500, 0), lun.chap));
            failing.failOn((String) f[0], (Integer) f[1], (Boolean) f[2]);
            assertThrows(RuntimeException.class, () -> flaky.detach(a, target(null)), what);
            flaky.detach(a, target(null));
            assertNothingLeftAfter(what);
        }
        Attachment again = flaky.attach(request(iops(500, 0), lun.chap));
        assertAttachedEverywhere(500);
        flaky.detach(again, target(null));
        assertNothingLeft();
    }

    @Test
    void aDetachWhoseReplyWasLostGoesOnOverWhatIsLeft() {
        FailingVSphere failing = new FailingVSphere(vsphere);
        VmwareCluster flaky = new VmwareCluster(failing, "DC0_C0");
        // the disk removed and the reply lost: the detach failed, and the core put the volume back to ATTACHED without its disk
        Object[][] lost = {{"removeDisk", 1}, {"unmountVmfs", 2}, {"removeStaticTarget", 2}, {"rescan", 3}};
        for (Object[] l : lost) {
            String what = l[0] + " #" + l[1] + " (reply lost)";
            Attachment a = flaky.attach(request(iops(500, 0), lun.chap));
            failing.loseReplyOn((String) l[0], (Integer) l[1]);
            flaky.detach(a, target(null));
            assertNothingLeftAfter(what);
        }
    }

    private void assertNothingLeftAfter(String what) {
        try {
            assertNothingLeft();
        } catch (AssertionError e) {
            throw new AssertionError("after a failure at " + what + ": " + e.getMessage(), e);
        }
    }
}
