package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * {@code limits()} reads a disk's limits from libvirt at each call, against real libvirtd + QEMU (TCG) and tgtd: after
 * an attach it reports what was applied; after an operator changed them with {@code virsh blkdeviotune} (live on a
 * running VM, in the configuration of a stopped one) it reports the operator's values, and so does a second service
 * that never attached anything; after {@code changeLimits} it reports the plan again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmLimitsReadBackTest {
    static final long MIB = 1024 * 1024;

    /** read: 500 IOPS (burst 1000 for 5 s), 10 MiB/s; write: 300 IOPS, 5 MiB/s (burst 8 MiB/s, QEMU's default length). */
    static final IoLimits PLAN = new IoLimits(new Limit(500, 1000, 5), Limit.of(300), Limit.NONE,
            Limit.of(10 * MIB), new Limit(5 * MIB, 8 * MIB, 0), Limit.NONE);
    /** The plan as QEMU holds it: a burst without a length lasts QEMU's default, 1 s. */
    static final IoLimits APPLIED = new IoLimits(new Limit(500, 1000, 5), Limit.of(300), Limit.NONE,
            Limit.of(10 * MIB), new Limit(5 * MIB, 8 * MIB, 1), Limit.NONE);

    TestVm running;
    TestVm stopped;
    TgtTarget lun;
    KvmHost host;
    final List<Attachment> attached = new ArrayList<>();

    @BeforeAll
    void setUp() {
        Peers.require();
        running = TestVm.define("spindle-test-limits", true);
        stopped = TestVm.define("spindle-test-limits-stopped", false);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        lun = TgtTarget.create("iqn.2010-01.com.solidfire:spindle-test-limits." + tag + ".1", 16 * MIB, "limits" + tag,
                "limits-secret-" + tag);
        host = new KvmHost(Configs.settings());
    }

    @AfterEach
    void detach() {
        for (Attachment a : attached) {
            host.detach(a, target().withoutChap());
        }
        attached.clear();
    }

    @AfterAll
    void tearDown() {
        if (host != null) {
            host.close();
        }
        for (AutoCloseable c : new AutoCloseable[] {running, stopped, lun}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    @Test
    void anOperatorsLiveChangeIsWhatLimitsReports() {
        Attachment a = attach(running);
        assertEquals(APPLIED, host.limits(a), "after the attach: what was applied");

        // as an operator would, on the running VM only (the configuration keeps Spindle's values); libvirt takes the
        // read, write and total IOPS as one group: the write IOPS not given are cleared
        Cmd.virsh("blkdeviotune", running.uuid(), a.device(), "--live", "--read-iops-sec", "123",
                "--write-bytes-sec-max", String.valueOf(20 * MIB), "--write-bytes-sec-max-length", "4");
        IoLimits changed = new IoLimits(new Limit(123, 1000, 5), Limit.NONE, Limit.NONE,
                Limit.of(10 * MIB), new Limit(5 * MIB, 20 * MIB, 4), Limit.NONE);
        assertEquals(changed, host.limits(a));
        try (KvmHost other = new KvmHost(Configs.settings())) {
            assertEquals(changed, other.limits(a), "a service that never attached it reads the same");
        }

        // totals instead of read/write: libvirt drops the read and write IOPS (once their burst is gone)
        Cmd.virsh("blkdeviotune", running.uuid(), a.device(), "--live", "--total-iops-sec", "700", "--read-iops-sec-max", "0",
                "--read-iops-sec-max-length", "0");
        assertEquals(new IoLimits(Limit.NONE, Limit.NONE, Limit.of(700), Limit.of(10 * MIB), new Limit(5 * MIB, 20 * MIB, 4),
                Limit.NONE), host.limits(a));

        host.changeLimits(a, PLAN);
        assertEquals(APPLIED, host.limits(a), "healed by changeLimits");
    }

    @Test
    void aStoppedVmReportsItsConfiguration() {
        Attachment a = attach(stopped);
        assertEquals(APPLIED, host.limits(a));
        Cmd.virsh("blkdeviotune", stopped.uuid(), a.device(), "--config", "--total-bytes-sec", String.valueOf(3 * MIB),
                "--read-iops-sec", "0", "--write-iops-sec", "0", "--total-iops-sec", "50");
        // libvirt zeroes the read and write rates but keeps write-bps-max and read-iops-max in the configuration:
        // bursts without a rate, which QEMU would refuse at start, read back as none
        assertEquals(new IoLimits(Limit.NONE, Limit.NONE, Limit.of(50), Limit.NONE, Limit.NONE, Limit.of(3 * MIB)),
                host.limits(a));
        assertEquals("8388608", Cmd.virsh("blkdeviotune", stopped.uuid(), a.device(), "--config").lines()
                .filter(l -> l.startsWith("write_bytes_sec_max:")).map(l -> l.split(":")[1].trim()).findFirst().orElse(null),
                "the dangling burst is there in libvirt");
        host.changeLimits(a, IoLimits.NONE);
        assertEquals(IoLimits.NONE, host.limits(a));
    }

    @Test
    void aDiskThatIsNotThereIsNotFound() {
        Attachment a = attach(stopped);
        Cmd.virsh("detach-device-alias", stopped.uuid(), DiskXml.alias(a.volumeId()), "--config");
        StorageException e = assertThrows(StorageException.class, () -> host.limits(a));
        assertEquals(Reason.NOT_FOUND, e.reason(), e.getMessage());
        assertEquals("attachment", e.field());
    }

    Attachment attach(TestVm vm) {
        UUID id = UUID.randomUUID();
        Attachment a = host.attach(new AttachRequest(id, "limits-" + id.toString().substring(0, 8), 16 * MIB,
                host.findVm(vm.uuid()).orElseThrow(), target(), true, PLAN));
        attached.add(a);
        return a;
    }

    Target target() {
        return new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null, new Chap(lun.user, Secret.of(lun.password)));
    }
}
