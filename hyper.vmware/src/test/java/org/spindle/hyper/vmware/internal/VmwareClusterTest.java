package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spindle.hyper.vmware.internal.VSphere.Datastore;
import org.spindle.hyper.vmware.internal.VSphere.Host;
import org.spindle.hyper.vmware.internal.VSphere.Mount;
import org.spindle.hyper.vmware.internal.VSphere.StaticTarget;
import org.spindle.hyper.vmware.internal.VSphere.Vm;
import org.spindle.hyper.vmware.internal.VSphere.VmDisk;
import org.spindle.hyper.vmware.internal.vim.SoapVSphere;
import org.spindle.hyper.vmware.internal.vim.VimConnection;
import org.spindle.hyper.vmware.internal.vim.VimTrust;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Protocols;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * Managed attach and detach on spindle-vcsim's cluster of three hosts and a real tgt LUN with CHAP: what every
 * host and the VM show after each, a detach interrupted at each step (apache/cloudstack#7148), limits refused
 * and changed, and a failed attach that leaves nothing behind.
 */
class VmwareClusterTest {
    @TempDir
    static Path dir;
    static Vcsim vcsim;
    static int nextTid = 47130;
    TgtLun lun;
    SoapVSphere vsphere;
    VmwareCluster cluster;
    UUID volume;

    @BeforeAll
    static void start() throws Exception {
        TgtLun.requireTgt();
        vcsim = Vcsim.start(dir, "iqn.1998-01.com.vmware:clustertest");
    }

    @AfterAll
    static void stop() throws Exception {
        if (vcsim != null) {
            vcsim.close();
        }
    }

    @BeforeEach
    void connect() throws Exception {
        // a SAN volume of its own for each test: a LUN that holds one volume's VMFS is that volume's
        int tid = nextTid++;
        lun = TgtLun.create(dir, tid, "cluster-test-" + tid, 128L << 20, "vmwclustertest", "cluster-secret-123");
        vsphere = new SoapVSphere(new VimConnection(vcsim.url(), VimTrust.pinned(vcsim.fingerprint()), Vcsim.USER, Vcsim.PASSWORD,
                Duration.ofSeconds(20)), "DC0", "DC0_C0", Duration.ofSeconds(30));
        cluster = new VmwareCluster(vsphere, "DC0_C0");
        volume = UUID.randomUUID();
    }

    @AfterEach
    void close() throws Exception {
        vsphere.close();
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

    /** What an attach had made when the runtime died before the disk: static targets and rescans, the datastore. */
    private void datastoreWithoutDisk() {
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
        assertEquals(java.util.Optional.of(a), cluster.findAttachment(volume));
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
            int tid = nextTid++;
            lun = TgtLun.create(dir, tid, "cluster-test-" + tid, 128L << 20, "vmwclustertest", "cluster-secret-123");
            volume = UUID.randomUUID();
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
