package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.Attachment;

/**
 * A Spindle datastore no disk uses (what a vCenter call an attach had given up leaves when it completes later), on
 * spindle-vcsim's cluster: reported with no VM from the second check on, not while an attach of its volume runs here,
 * removed by the core's detach of no VM, which never touches a disk.
 */
class DatastoreLeftoversTest extends ClusterFixture {

    /** What the service publishes about this test's volume. */
    private List<String> linesOf(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith(volume + " ")).toList();
    }

    private List<String> check(DatastoreLeftovers watch) {
        return linesOf(watch.check(vsphere.hosts()));
    }

    /** The attachment the core's leftover sweep detaches with. */
    private Attachment noVm() {
        return new Attachment(volume, AttachProperties.NO_VM, "", null, "", null, true);
    }

    @Test
    void aDatastoreNoDiskUsesIsReportedFromTheSecondCheckAndADetachOfNoVmRemovesIt() {
        datastoreWithoutDisk();
        DatastoreLeftovers watch = cluster.leftovers();
        assertEquals(List.of(), check(watch), "not at the first check: an attach makes its datastore a moment before the disk");
        assertEquals(List.of(volume + " - leftover: datastore " + VolumeLayout.datastoreName(volume) + " has no disk: an attach that"
                + " was given up made it; a detach of the volume removes it"), check(watch));
        assertEquals(1, linesOf(watch.lines()).size(), "kept between checks");

        // the core's clearing, the reply of the second unmount lost: it goes on over what is left
        FailingVSphere failing = new FailingVSphere(vsphere);
        failing.loseReplyOn("unmountVmfs", 2);
        new VmwareCluster(failing, "DC0_C0").detach(noVm(), target(null));
        assertNothingLeft();
        assertEquals(List.of(), check(watch), "the line goes with the datastore");
    }

    @Test
    void aDatastoreWhoseAttachIsUnderWayHereIsNotReported() throws Exception {
        FailingVSphere failing = new FailingVSphere(vsphere);
        VmwareCluster attaching = new VmwareCluster(failing, "DC0_C0");
        DatastoreLeftovers watch = attaching.leftovers();
        DatastoreLeftovers elsewhere = new DatastoreLeftovers(vsphere, "DC0_C0"); // no attach runs through it
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        failing.holdOn("addDisk", reached, release);
        CompletableFuture<Attachment> attach = CompletableFuture.supplyAsync(() -> attaching.attach(request(iops(500, 0), lun.chap)));
        try {
            while (!reached.await(100, TimeUnit.MILLISECONDS)) {
                if (attach.isDone()) {
                    throw new AssertionError("the attach ended before its disk step", attach.handle((r, e) -> e).join());
                }
            }
            assertTrue(vsphere.datastore(VolumeLayout.datastoreName(volume)).isPresent(), "the datastore is made");
            assertTrue(vsphere.disks(vm()).stream().noneMatch(d -> d.fileName().equals(VolumeLayout.vmdkPath(volume))), "no disk yet");
            check(watch);
            assertEquals(List.of(), check(watch), "an attach under way in this service is not reported");
            check(elsewhere);
            assertEquals(1, check(elsewhere).size(), "where no attach of it runs, the same datastore is reported");
        } finally {
            release.countDown();
        }
        Attachment a = attach.get(60, TimeUnit.SECONDS);
        assertEquals(List.of(), check(watch), "with its disk");
        assertEquals(List.of(), check(elsewhere), "the line goes once the datastore has its disk");
        assertAttachedEverywhere(500);
        attaching.detach(a, target(null));
        assertNothingLeft();
    }

    @Test
    void aDetachOfNoVmLeavesADiskItsDatastoreAndItsMountsAlone() {
        datastoreWithoutDisk();
        DatastoreLeftovers watch = cluster.leftovers();
        check(watch);
        assertEquals(1, check(watch).size(), "reported");
        // the disk comes (the given-up attach's last call, or a new attach) before the core's pass clears the line
        Attachment a = cluster.attach(request(iops(500, 0), lun.chap));
        StorageException e = assertThrows(StorageException.class, () -> cluster.detach(noVm(), target(null)));
        assertEquals(StorageException.Reason.CONFLICT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("VM " + vm().name() + " (" + vm().ref() + ") has disk " + VolumeLayout.vmdkPath(volume)),
                e.getMessage());
        assertAttachedEverywhere(500); // the disk on the VM, the datastore mounted on every host, the static targets
        assertEquals(List.of(), check(watch), "no longer reported");
        cluster.detach(a, target(null));
        assertNothingLeft();
    }
}
