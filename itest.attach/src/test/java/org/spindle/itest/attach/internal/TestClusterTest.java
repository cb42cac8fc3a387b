package org.spindle.itest.attach.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.itest.attach.internal.Configs.config;
import static org.spindle.itest.attach.internal.Configs.strings;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.spindle.itest.attach.probe.AttachedDisk;
import org.spindle.itest.attach.probe.HostsUpdate;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

class TestClusterTest {
    private static final String PID = "org.spindle.itest.attach~c1";
    private static final long GIB = 1L << 30;
    private static final IoLimits TOTAL_IOPS = new IoLimits(Limit.NONE, Limit.NONE, Limit.of(500), Limit.NONE, Limit.NONE, Limit.NONE);

    private final Ledger ledger = new Ledger();
    private final TestCluster cluster = new TestCluster(ledger, cluster("vm1@h1", "vm2@h2"));

    private static AttachSettings cluster(String... vms) {
        return AttachSettings.of(PID, config("hypervisor_hosts", strings("h1", "h2"), "hypervisor_cluster", "c1",
                "storage_zone", "z1", "hypervisor_limits", strings("iops", "total"), "vms", vms));
    }

    private static Target target(UUID volume) {
        return new Target("iscsi", List.of(Portal.iscsi("10.0.0.5")), "iqn.2026-11.org.spindle.test:sf1." + volume, 0,
                "naa.6f47acc100000000000000000000002a", new Chap("spindle-t", Secret.of("s3cret")));
    }

    private Attachment attach(UUID volume, String vm, IoLimits limits) {
        VmInfo info = cluster.findVm(vm).orElseThrow();
        return cluster.attach(new AttachRequest(volume, "vol", GIB, info, target(volume), true, limits));
    }

    private static void refused(Reason reason, Executable call) {
        assertEquals(reason, assertThrows(StorageException.class, call).reason());
    }

    @Test
    void findsVmsByNameOrIdAndRefusesBlankNames() {
        VmInfo vm1 = cluster.findVm("vm1").orElseThrow();
        assertEquals(AttachSettings.vmId(PID, "vm1"), vm1.id());
        assertEquals("h1", vm1.host());
        assertEquals(vm1, cluster.findVm(vm1.id()).orElseThrow());
        assertTrue(cluster.findVm("vm9").isEmpty());
        assertEquals("vm", assertThrows(StorageException.class, () -> cluster.findVm(" ")).field());
        assertEquals("vm", assertThrows(StorageException.class, () -> cluster.findVm(null)).field());
        assertEquals(5, cluster.calls("findVm"));
        assertEquals(java.util.Arrays.asList("vm1", vm1.id(), "vm9", " ", null), cluster.vmLookups());
    }

    @Test
    void attachRecordsTheVmIdAndItsHost() {
        UUID volume = UUID.randomUUID();
        Attachment a = attach(volume, "vm2", TOTAL_IOPS);

        assertEquals(AttachSettings.vmId(PID, "vm2"), a.vmId());
        assertEquals("h2", a.host());
        assertEquals("sdb", a.device());
        assertEquals("test-sr-" + volume, a.structure());
        AttachedDisk d = cluster.disk(volume).orElseThrow();
        assertNull(d.target().chap(), "the probe keeps the target without credentials");
        assertEquals(TOTAL_IOPS, d.limits());
        assertEquals(GIB, d.sizeBytes());
        assertEquals(a, attach(volume, "vm2", TOTAL_IOPS), "a retry finds the same attachment");
        assertEquals("sdc", attach(UUID.randomUUID(), "vm2", IoLimits.NONE).device());
        assertEquals(List.of(a), cluster.attachments("vm2").subList(0, 1));
        assertEquals(2, cluster.attachments(a.vmId()).size());
    }

    /** A VM's disks never share a device: a detach frees its device for the next attach, another VM's are apart. */
    @Test
    void anAttachTakesTheFirstDeviceFreeOnItsVm() {
        Attachment b = attach(UUID.randomUUID(), "vm1", IoLimits.NONE);
        Attachment c = attach(UUID.randomUUID(), "vm1", IoLimits.NONE);
        assertEquals(List.of("sdb", "sdc"), List.of(b.device(), c.device()));
        assertEquals("sdb", attach(UUID.randomUUID(), "vm2", IoLimits.NONE).device(), "another VM's devices are its own");
        cluster.detach(b, null);
        assertEquals("sdb", attach(UUID.randomUUID(), "vm1", IoLimits.NONE).device(), "sdb was freed; sdc is still in use");
        assertEquals("sdd", attach(UUID.randomUUID(), "vm1", IoLimits.NONE).device());
        for (int i = 0; i < 22; i++) {     // sde … sdz
            attach(UUID.randomUUID(), "vm1", IoLimits.NONE);
        }
        assertEquals("sdaa", attach(UUID.randomUUID(), "vm1", IoLimits.NONE).device(), "after sdz, as Linux names them");
    }

    @Test
    void aMigrationMovesTheVmKeepsItsDisksAndUpdateHostsReportsTheNewHost() {
        UUID volume = UUID.randomUUID();
        Attachment a = attach(volume, "vm1", TOTAL_IOPS);

        cluster.update(AttachSettings.of(PID, config("hypervisor_hosts", strings("h1", "h2", "h3"), "hypervisor_cluster", "c1",
                "storage_zone", "z1", "hypervisor_limits", strings("iops", "total"), "vms", strings("vm1@h3", "vm2@h2"))));

        assertEquals("h3", cluster.disk(volume).orElseThrow().host(), "the disk follows the VM");
        assertEquals("h1", cluster.attachments().get(0).host(), "the attachment as returned, until updateHosts");
        Attachment now = cluster.updateHosts(a, target(volume));
        assertEquals("h3", now.host());
        assertEquals(List.of(now), cluster.attachments());
        HostsUpdate update = cluster.hostsUpdates().get(0);
        assertEquals(List.of("h1", "h2", "h3"), update.hosts());
        assertEquals(List.of("iqn.2026-11.org.spindle.test:host.h1", "iqn.2026-11.org.spindle.test:host.h2",
                "iqn.2026-11.org.spindle.test:host.h3"), update.initiators());
        assertNotNull(update.target().chap(), "updateHosts gets the target with the credentials to log in");
        assertEquals("naa.6f47acc100000000000000000000002a", update.target().deviceId());

        cluster.changeLimits(a, TOTAL_IOPS);
        cluster.grow(a, 2 * GIB);
        cluster.detach(a, target(volume).withoutChap());
        assertTrue(cluster.disks().isEmpty(), "every later call finds the VM by id, wherever it runs");
        assertEquals(2 * GIB, cluster.grows().get(0).newSizeBytes());
        assertNull(cluster.detached().get(0).target().chap());
    }

    @Test
    void refusesWhatARealClusterWould() {
        UUID volume = UUID.randomUUID();
        Attachment a = attach(volume, "vm1", TOTAL_IOPS);
        Attachment vm2 = new Attachment(volume, AttachSettings.vmId(PID, "vm2"), "vm2", "h2", "sdb", null, true);
        Attachment stranger = new Attachment(volume, "not-a-vm-here", "vm9", "h9", "sdb", null, true);

        refused(Reason.NOT_FOUND, () -> cluster.attach(new AttachRequest(UUID.randomUUID(), "vol", GIB,
                new VmInfo("not-a-vm-here", "vm9", "h1", true), target(volume), true, IoLimits.NONE)));
        refused(Reason.QOS_REFUSED, () -> attach(UUID.randomUUID(), "vm1", IoLimits.NONE.withWeight(500)));
        refused(Reason.QOS_REFUSED, () -> cluster.changeLimits(a, new IoLimits(Limit.of(10), Limit.NONE, Limit.NONE,
                Limit.NONE, Limit.NONE, Limit.NONE)));
        refused(Reason.NO_ROUTE, () -> cluster.attach(new AttachRequest(UUID.randomUUID(), "vol", GIB,
                cluster.findVm("vm1").orElseThrow(), new Target("nfs", List.of(), "server:/export", 0, null, null), true,
                IoLimits.NONE)));
        refused(Reason.CONFLICT, () -> attach(volume, "vm2", IoLimits.NONE));
        refused(Reason.CONFLICT, () -> cluster.detach(vm2, target(volume)));
        refused(Reason.CONFLICT, () -> cluster.changeLimits(vm2, TOTAL_IOPS));
        refused(Reason.CONFLICT, () -> cluster.grow(vm2, 2 * GIB));
        refused(Reason.NOT_FOUND, () -> cluster.detach(stranger, target(volume)));
        refused(Reason.NOT_FOUND, () -> cluster.diskStats(stranger));
        refused(Reason.NOT_FOUND, () -> cluster.updateHosts(stranger, target(volume)));
        refused(Reason.CONFLICT, () -> cluster.updateHosts(a, target(UUID.randomUUID())));
        refused(Reason.INVALID_ARGUMENT, () -> cluster.grow(a, GIB - 1));
        refused(Reason.NOT_FOUND, () -> cluster.diskStats(new Attachment(UUID.randomUUID(), a.vmId(), "vm1", "h1", "sdc", null, true)));

        assertEquals(List.of(a), cluster.attachments(), "nothing refused changed anything");
        assertEquals(TOTAL_IOPS, cluster.limits(volume).orElseThrow());
        assertEquals(GIB, cluster.disk(volume).orElseThrow().sizeBytes());
        assertEquals(2, cluster.limitChanges().size(), "refused calls are recorded too");
    }

    @Test
    void detachIsIdempotentForItsOwnVms() {
        UUID volume = UUID.randomUUID();
        Attachment a = attach(volume, "vm1", IoLimits.NONE);
        cluster.detach(a, target(volume).withoutChap());
        cluster.detach(a, target(volume).withoutChap());
        assertTrue(cluster.attachments().isEmpty());
        assertEquals(2, cluster.detached().size());
    }

    @Test
    void weightOnlyWhenDeclared() {
        TestCluster weighted = new TestCluster(new Ledger(), AttachSettings.of(PID, config("hypervisor_host", "h1",
                "storage_zone", "z1", "hypervisor_limits", strings("weight"), "vms", strings("vm1"))));
        VmInfo vm = weighted.findVm("vm1").orElseThrow();
        UUID volume = UUID.randomUUID();
        weighted.attach(new AttachRequest(volume, "vol", GIB, vm, target(volume), true, IoLimits.NONE.withWeight(800)));
        assertEquals(800, weighted.limits(volume).orElseThrow().weight());
        refused(Reason.QOS_REFUSED, () -> weighted.changeLimits(weighted.attachments().get(0), TOTAL_IOPS));
    }

    @Test
    void injectedFailuresCarryTheirReasonAndChangeNothing() {
        cluster.failNext("attach", Reason.BUSY, "host h1 is in maintenance");
        StorageException e = assertThrows(StorageException.class, () -> attach(UUID.randomUUID(), "vm1", IoLimits.NONE));
        assertEquals(Reason.BUSY, e.reason());
        assertEquals("host h1 is in maintenance", e.getMessage());
        assertTrue(cluster.attachments().isEmpty());
        assertEquals(1, cluster.attachRequests().size(), "the refused request is recorded");

        cluster.failNext("diskStats", "gone");
        Attachment a = attach(UUID.randomUUID(), "vm1", IoLimits.NONE);
        assertEquals(Reason.BACKEND_FAILURE, assertThrows(StorageException.class, () -> cluster.diskStats(a)).reason());
        assertEquals(1024, cluster.diskStats(a).readOps(), "one op per MiB of the disk");
        assertEquals(List.of(a, a), cluster.statsRequests());
        cluster.reset();
        assertTrue(cluster.attachments().isEmpty() && cluster.attachRequests().isEmpty() && cluster.calls().isEmpty()
                && cluster.statsRequests().isEmpty() && cluster.vmLookups().isEmpty());
    }

    @Test
    void staticDisksOnlyWithStructures() {
        assertFalse(cluster instanceof StaticDisks);
        TestClusterWithDisks withDisks = new TestClusterWithDisks(new Ledger(), AttachSettings.of(PID, config(
                "hypervisor_host", "h1", "storage_zone", "z1", "structures", strings("pool1"))));
        UUID volume = UUID.randomUUID();

        Target disk = withDisks.createDisk(new StaticDiskRequest(volume, "vol", "pool1", GIB));
        assertEquals("pool1/" + volume, disk.name());
        assertEquals("structure", assertThrows(StorageException.class,
                () -> withDisks.createDisk(new StaticDiskRequest(volume, "vol", "pool2", GIB))).field());
        withDisks.deleteDisk(disk);
        assertEquals(List.of(disk), withDisks.deletedDisks());
        assertEquals(1, withDisks.createdDisks().size());
    }
}
