package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.spindle.hyper.kvm.internal.jna.BlockIoTune;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.IoStats;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.test.support.Commands;

/**
 * Against real libvirtd + QEMU (TCG) and tgtd: a managed iSCSI volume with CHAP attached to a running domain,
 * its limits enforced by QEMU, changed live, detached; failures leave nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KvmIscsiAttachTest {
    static final long MIB = 1024 * 1024;
    static final String VM = "spindle-test-iscsi";
    static final String STOPPED_VM = "spindle-test-stopped";

    TestVm vm;
    TestVm stoppedVm;
    TgtTarget lun;
    KvmHost host;
    Connect inspect;
    final UUID volumeId = UUID.randomUUID();
    Attachment attachment;

    /** read: 500 IOPS (burst 1000 for 5 s), 10 MiB/s; write: 300 IOPS, 5 MiB/s (burst 8 MiB/s, 2 s). */
    static final IoLimits PLAN = new IoLimits(new Limit(500, 1000, 5), Limit.of(300), Limit.NONE,
            Limit.of(10 * MIB), new Limit(5 * MIB, 8 * MIB, 2), Limit.NONE);

    @BeforeAll
    void setUp() throws LibvirtException {
        Peers.require();
        vm = TestVm.define(VM, true);
        stoppedVm = TestVm.define(STOPPED_VM, false);
        lun = TgtTarget.create("iqn.2010-01.com.solidfire:spindle-test." + volumeId.toString().substring(0, 8) + ".1",
                64 * MIB, "kvmtest" + volumeId.toString().substring(0, 6), "chapsecret-" + volumeId.toString().substring(0, 5));
        host = new KvmHost(Configs.settings());
        inspect = new Connect(Peers.URI);
    }

    @AfterAll
    void tearDown() throws LibvirtException {
        if (host != null && attachment != null) {
            try {
                host.detach(attachment, target(lun.password).withoutChap());
            } catch (RuntimeException e) {
                // best effort
            }
        }
        if (host != null) {
            host.close();
        }
        if (inspect != null) {
            inspect.close();
        }
        if (vm != null) {
            vm.close();
        }
        if (stoppedVm != null) {
            stoppedVm.close();
        }
        if (lun != null) {
            lun.close();
        }
    }

    Target target(String password) {
        return new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null, new Chap(lun.user, Secret.of(password)));
    }

    AttachRequest request(UUID id, String vmName, Target t, IoLimits limits) {
        return request(id, host.findVm(vmName).orElseThrow(), t, limits);
    }

    static AttachRequest request(UUID id, VmInfo vm, Target t, IoLimits limits) {
        return new AttachRequest(id, "vol-" + id.toString().substring(0, 8), 64 * MIB, vm, t, true, limits);
    }

    @Test
    @Order(1)
    void findsVms() {
        assertEquals(new VmInfo(vm.uuid(), VM, "host1", true), host.findVm(VM).orElseThrow());
        assertEquals(new VmInfo(stoppedVm.uuid(), STOPPED_VM, "host1", false), host.findVm(STOPPED_VM).orElseThrow());
        assertTrue(host.findVm("spindle-no-such-vm").isEmpty());
    }

    @Test
    @Order(2)
    void wrongChapIsAnAuthenticationErrorAndLeavesNothing() {
        UUID id = UUID.randomUUID();
        StorageException e = assertThrows(StorageException.class,
                () -> host.attach(request(id, VM, target("wrong-secret-123"), PLAN)));
        assertEquals(Reason.AUTHENTICATION, e.reason(), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret-123"), e.getMessage());
        assertNull(e.getCause(), "the cause would carry libvirt's unredacted text");
        System.out.println("wrong CHAP: " + e.getMessage());
        assertNothingLeft(id, VM);
    }

    @Test
    @Order(3)
    void unknownTargetAndVmAreNotFound() {
        UUID id = UUID.randomUUID();
        Target missing = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn + "-missing", 1, null,
                new Chap(lun.user, Secret.of(lun.password)));
        StorageException e = assertThrows(StorageException.class, () -> host.attach(request(id, VM, missing, PLAN)));
        assertEquals(Reason.NOT_FOUND, e.reason(), e.getMessage());
        assertEquals("target.name", e.field());
        System.out.println("unknown target: " + e.getMessage());
        assertNothingLeft(id, VM);

        VmInfo gone = new VmInfo(UUID.randomUUID().toString(), "spindle-no-such-vm", "host1", true);
        StorageException noVm = assertThrows(StorageException.class,
                () -> host.attach(request(id, gone, target(lun.password), PLAN)));
        assertEquals(Reason.NOT_FOUND, noVm.reason());
        assertEquals("vm", noVm.field());
    }

    @Test
    @Order(5)
    void initiatorNotAdmittedIsRefusedAndLeavesNothing() {
        UUID id = UUID.randomUUID();
        try (TgtTarget other = TgtTarget.create("iqn.2010-01.com.solidfire:spindle-test-acl." + id.toString().substring(0, 8) + ".1",
                16 * MIB, null, null)) {
            // admit another initiator only (what a SAN access group without this host looks like)
            Commands.run("tgtadm", "--lld", "iscsi", "--mode", "target", "--op", "unbind", "--tid", "" + other.tid,
                    "--initiator-address", "ALL");
            TgtTarget.tgtadm("--mode", "target", "--op", "bind", "--tid", "" + other.tid, "--initiator-name",
                    "iqn.2024-01.org.spindle.test:someone-else");
            Target t = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), other.iqn, 1, null, null);
            StorageException e = assertThrows(StorageException.class, () -> host.attach(request(id, VM, t, IoLimits.NONE)));
            System.out.println("initiator not admitted: " + e.reason() + " " + e.field() + ": " + e.getMessage());
            // tgt hides a target from initiators it does not admit
            assertEquals(Reason.NOT_FOUND, e.reason(), e.getMessage());
            assertEquals("target.name", e.field());
            assertTrue(e.getMessage().contains("does not admit this host's initiator"), e.getMessage());
            assertTrue(e.getMessage().contains(Configs.INITIATOR), e.getMessage());
        }
        assertNothingLeft(id, VM);
    }

    @Test
    @Order(4)
    void totalWithReadWriteIsRefusedBeforeLibvirt() {
        IoLimits both = new IoLimits(Limit.of(100), Limit.NONE, Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE);
        StorageException e = assertThrows(StorageException.class,
                () -> host.attach(request(UUID.randomUUID(), VM, target(lun.password), both)));
        assertEquals(Reason.QOS_REFUSED, e.reason());
    }

    @Test
    @Order(10)
    void attachesWithChapAndLimits() {
        attachment = host.attach(request(volumeId, VM, target(lun.password), PLAN));
        assertEquals(volumeId, attachment.volumeId());
        assertEquals(vm.uuid(), attachment.vmId());
        assertEquals(VM, attachment.vmName());
        assertEquals("host1", attachment.host());
        assertTrue(attachment.device().matches("sd[a-z]+"), attachment.device());
        assertEquals(ChapSecrets.usage(volumeId, vm.uuid()), attachment.structure());
        assertTrue(attachment.managed());

        String live = vm.liveXml();
        String disk = diskElement(live, DiskXml.alias(volumeId));
        assertTrue(disk.contains("<source protocol='iscsi' name='" + lun.iqn + "/1'"), disk);
        assertTrue(disk.contains("<host name='127.0.0.1' port='3260'/>"), disk);
        assertTrue(disk.contains("<iqn name='" + Configs.INITIATOR + "'/>"), disk);
        assertTrue(disk.contains("<auth username='" + lun.user + "'>"), disk);
        assertTrue(disk.contains("<secret type='iscsi' usage='" + attachment.structure() + "'/>"), disk);
        assertTrue(disk.contains("<target dev='" + attachment.device() + "' bus='scsi'/>"), disk);
        for (String element : List.of("<read_iops_sec>500</read_iops_sec>", "<read_iops_sec_max>1000</read_iops_sec_max>",
                "<read_iops_sec_max_length>5</read_iops_sec_max_length>", "<write_iops_sec>300</write_iops_sec>",
                "<read_bytes_sec>" + 10 * MIB + "</read_bytes_sec>", "<write_bytes_sec>" + 5 * MIB + "</write_bytes_sec>",
                "<write_bytes_sec_max>" + 8 * MIB + "</write_bytes_sec_max>",
                "<write_bytes_sec_max_length>2</write_bytes_sec_max_length>")) {
            assertTrue(disk.contains(element), element + " in " + disk);
        }
        assertFalse(disk.contains("total_"), disk);
        assertTrue(live.contains("model='virtio-scsi'"), "a virtio-scsi controller was added");
        // persistent too
        assertTrue(vm.configXml().contains(DiskXml.alias(volumeId)));
        // the session on the tgt side comes from the configured initiator
        assertEquals(List.of(Configs.INITIATOR), lun.initiators());
        // the secret is there, private
        String secrets = Cmd.virsh("secret-list");
        assertTrue(secrets.contains(attachment.structure()), secrets);
        Commands.Result value = Commands.run("virsh", "-c", Peers.URI, "secret-get-value",
                ChapSecrets.uuid(volumeId, vm.uuid()).toString());
        assertTrue(value.exit() != 0, "a private secret's value cannot be read back");

        // attaching again (a retry after a lost answer) returns the same attachment
        assertEquals(attachment, host.attach(request(volumeId, VM, target(lun.password), PLAN)));
        // one host: a change of the service's hosts leaves the disk as it is
        assertEquals(attachment, host.updateHosts(attachment, target(lun.password)));
        assertTrue(vm.liveXml().contains(DiskXml.alias(volumeId)));
    }

    @Test
    @Order(11)
    void qemuEnforcesTheReadLimit() throws LibvirtException {
        Domain d = inspect.domainLookupByName(VM);
        String qdev = DiskXml.alias(volumeId);
        // 20 MiB at 4 MiB/s cannot take less than ~4 s (QEMU lets one second's worth through at once), however fast the
        // machine; the unlimited read must be clearly faster. Its 40 monitor commands are what it waits for, and on a
        // machine busy with other builds they slow it down (1.6 s seen at a load of 8 on 2 cores, 2.9 s at 20; at the
        // 10 MiB/s of the plan the limited read's ~2 s was then too close to tell them apart): up to three pairs, each
        // limited read bounded below, the fastest unlimited one compared
        IoLimits slow = new IoLimits(PLAN.readIops(), PLAN.writeIops(), PLAN.totalIops(), Limit.of(4 * MIB), PLAN.writeBps(),
                PLAN.totalBps(), PLAN.weight());
        host.changeLimits(attachment, slow);
        double limited = Double.MAX_VALUE;
        double unlimited = Double.MAX_VALUE;
        try {
            for (int pair = 0; pair < 3 && !(limited > 1.5 * unlimited); pair++) {
                double l = readSeconds(d, qdev, 20);
                assertTrue(l >= 3.0, "limited read took " + l + " s");
                limited = Math.min(limited, l);
                host.changeLimits(attachment, IoLimits.NONE);
                unlimited = Math.min(unlimited, readSeconds(d, qdev, 20));
                host.changeLimits(attachment, slow);
                System.out.printf("QEMU read of 20 MiB (40 x 512 KiB) at read_bytes_sec=4 MiB/s: %.2f s; unlimited: %.2f s (fastest"
                        + " so far)%n", l, unlimited);
            }
        } finally {
            host.changeLimits(attachment, PLAN);
        }
        assertTrue(limited > 1.5 * unlimited, "limited " + limited + " s vs unlimited " + unlimited + " s");
    }

    @Test
    @Order(12)
    void changesLimitsLiveAndReadsThemBack() throws LibvirtException {
        IoLimits totals = new IoLimits(Limit.NONE, Limit.NONE, new Limit(800, 1600, 10), Limit.NONE, Limit.NONE,
                new Limit(20 * MIB, 40 * MIB, 3));
        host.changeLimits(attachment, totals);
        Domain d = inspect.domainLookupByName(VM);
        for (int flags : new int[] {BlockIoTune.AFFECT_LIVE, BlockIoTune.AFFECT_CONFIG}) {
            Map<String, Long> p = BlockIoTune.get(d, attachment.device(), flags);
            assertEquals(800L, p.get("total_iops_sec"));
            assertEquals(1600L, p.get("total_iops_sec_max"));
            assertEquals(10L, p.get("total_iops_sec_max_length"));
            assertEquals(20 * MIB, p.get("total_bytes_sec"));
            assertEquals(40 * MIB, p.get("total_bytes_sec_max"));
            assertEquals(3L, p.get("total_bytes_sec_max_length"));
            assertEquals(0L, p.get("read_iops_sec"), "the earlier read limit was cleared");
            assertEquals(0L, p.get("read_bytes_sec"));
            assertEquals(0L, p.get("write_bytes_sec_max"));
        }
        String virsh = Cmd.virsh("blkdeviotune", VM, attachment.device());
        assertTrue(virsh.matches("(?s).*total_iops_sec\\s*:\\s*800\\b.*"), virsh);
    }

    @Test
    @Order(13)
    void countsIo() throws LibvirtException {
        // SeaBIOS reads the boot sector of the disk after a reset
        IoStats before = host.diskStats(attachment);
        inspect.domainLookupByName(VM).reset();
        IoStats after = before;
        for (int i = 0; i < 100 && after.readOps() == before.readOps(); i++) {
            sleep(100);
            after = host.diskStats(attachment);
        }
        System.out.println("block stats after a reset: " + after);
        assertTrue(after.readOps() > before.readOps(), "SeaBIOS read the disk: " + after);
        assertTrue(after.readBytes() >= 512);
    }

    @Test
    @Order(20)
    void detachRemovesDiskSecretAndSession() {
        host.detach(attachment, target(lun.password).withoutChap());
        assertFalse(vm.liveXml().contains(DiskXml.alias(volumeId)));
        assertFalse(vm.configXml().contains(DiskXml.alias(volumeId)));
        assertFalse(Cmd.virsh("secret-list").contains(attachment.structure()));
        List<String> sessions = lun.initiators();
        for (int i = 0; i < 50 && !sessions.isEmpty(); i++) {
            sleep(100);
            sessions = lun.initiators();
        }
        assertEquals(List.of(), sessions, "the iSCSI session is gone");
        // idempotent
        host.detach(attachment, target(lun.password).withoutChap());
        attachment = null;
    }

    @Test
    @Order(30)
    void stoppedVmGetsAConfigOnlyAttach() {
        UUID id = UUID.randomUUID();
        Attachment a = host.attach(request(id, STOPPED_VM, target(lun.password), PLAN));
        try {
            String config = stoppedVm.configXml();
            String disk = diskElement(config, DiskXml.alias(id));
            assertTrue(disk.contains("<read_bytes_sec>" + 10 * MIB + "</read_bytes_sec>"), disk);
            assertTrue(config.contains("model='virtio-scsi'"));
            assertEquals(List.of(), lun.initiators(), "nobody logged in");
            host.changeLimits(a, IoLimits.NONE);
            assertFalse(diskElement(stoppedVm.configXml(), DiskXml.alias(id)).contains("<iotune>"));
        } finally {
            host.detach(a, target(lun.password).withoutChap());
        }
        assertFalse(stoppedVm.configXml().contains(DiskXml.alias(id)));
        assertNothingLeft(id, STOPPED_VM);
    }

    // --- helpers

    void assertNothingLeft(UUID id, String vmName) {
        String secrets = Cmd.virsh("secret-list");
        assertFalse(secrets.contains(ChapSecrets.uuid(id, Cmd.virsh("domuuid", vmName).trim()).toString()), secrets);
        assertFalse(LibvirtSchema.domain(vmName).contains(DiskXml.alias(id)));
        assertFalse(LibvirtSchema.domain("--inactive", vmName).contains(DiskXml.alias(id)));
    }

    static String diskElement(String domainXml, String alias) {
        int a = domainXml.indexOf("<alias name='" + alias + "'/>");
        assertTrue(a >= 0, "no disk with alias " + alias + " in " + domainXml);
        int start = domainXml.lastIndexOf("<disk ", a);
        int end = domainXml.indexOf("</disk>", a);
        return domainXml.substring(start, end + "</disk>".length());
    }

    /** Reads {@code mib} MiB from the start of the disk through QEMU's block layer (HMP qemu-io), in 512 KiB requests. */
    static double readSeconds(Domain d, String qdev, int mib) throws LibvirtException {
        long t0 = System.nanoTime();
        for (long off = 0; off < mib * MIB; off += 512 * 1024) {
            String out = d.qemuMonitorCommand("qemu-io -d " + qdev + " \"read " + off + " 512k\"", 1);
            // QEMU prints qemu-io's report on its own stdout; the monitor only answers errors
            assertFalse(out.toLowerCase(java.util.Locale.ROOT).matches("(?s).*(error|fail|not found|invalid).*"), out);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
