package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;

/**
 * Growth of an attached iSCSI volume against real tgtd and QEMU: the LUN is grown on the target (its backing file
 * extended and the LUN made again, as tgt only reads the size then), QEMU keeps the size it read at login until
 * told, and {@link KvmHost#grow} makes it take the new one. What QEMU reports is read through libvirt's block info
 * ({@code virsh domblkinfo}). A stopped VM has nothing to tell: it reads the size when it starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmGrowTest {
    static final long MIB = 1024 * 1024;
    static final Pattern CAPACITY = Pattern.compile("Capacity:\\s+(\\d+)");

    KvmHost host;
    Connect inspect;

    @BeforeAll
    void setUp() throws LibvirtException {
        Peers.require();
        host = new KvmHost(Configs.settings());
        inspect = new Connect(Peers.URI);
    }

    @AfterAll
    void tearDown() throws LibvirtException {
        if (host != null) {
            host.close();
        }
        if (inspect != null) {
            inspect.close();
        }
    }

    @Test
    void aRunningVmSeesTheGrownLun() throws LibvirtException {
        UUID id = UUID.randomUUID();
        try (TestVm vm = TestVm.define("spindle-test-grow", true); TgtTarget lun = lun(id)) {
            Target target = target(lun);
            Attachment a = host.attach(request(id, vm, target));
            try {
                grows(vm, lun, a);
            } finally {
                host.detach(a, target.withoutChap());
            }
            StorageException gone = assertThrows(StorageException.class, () -> host.grow(a, 96 * MIB));
            assertEquals(Reason.NOT_FOUND, gone.reason());
            assertEquals("attachment", gone.field());
        }
    }

    /** The LUN grows on the target; QEMU sees it only when told, and only up to what the LUN has. */
    void grows(TestVm vm, TgtTarget lun, Attachment a) throws LibvirtException {
        assertEquals(64 * MIB, capacity(vm, a), "QEMU read the LUN's size at login");

        lun.grow(96 * MIB);
        assertEquals(96 * MIB, lun.capacity(), "the target serves the grown LUN");
        assertEquals(64 * MIB, capacity(vm, a), "QEMU has not looked again by itself");

        host.grow(a, 96 * MIB);
        assertEquals(96 * MIB, capacity(vm, a));
        assertEquals(96 * MIB, inspect.domainLookupByUUIDString(a.vmId()).blockInfo(a.device()).getCapacity());
        host.grow(a, 96 * MIB); // a retry changes nothing
        assertEquals(96 * MIB, capacity(vm, a));

        StorageException beyond = assertThrows(StorageException.class, () -> host.grow(a, 128 * MIB));
        assertEquals(Reason.BACKEND_FAILURE, beyond.reason(), beyond.getMessage());
        assertEquals("size", beyond.field());
        assertTrue(beyond.getMessage().contains("the SAN has not grown it"), beyond.getMessage());
        StorageException shrink = assertThrows(StorageException.class, () -> host.grow(a, 32 * MIB));
        assertEquals(Reason.INVALID_ARGUMENT, shrink.reason());
        assertEquals("size", shrink.field());
        assertEquals(96 * MIB, capacity(vm, a), "neither refusal changed the disk");
    }

    @Test
    void aStoppedVmReadsTheNewSizeWhenItStarts() {
        UUID id = UUID.randomUUID();
        try (TestVm vm = TestVm.define("spindle-test-grow-stopped", false); TgtTarget lun = lun(id)) {
            Target target = target(lun);
            Attachment a = host.attach(request(id, vm, target));
            try {
                String config = vm.configXml();
                lun.grow(80 * MIB);

                host.grow(a, 80 * MIB); // nothing to tell a stopped QEMU
                assertEquals(config, vm.configXml(), "the configuration is left as it was");
                assertEquals(List.of(), lun.initiators(), "nobody logged in");

                Cmd.virsh("start", vm.name);
                assertEquals(80 * MIB, capacity(vm, a), "QEMU read the grown LUN when the VM started");
            } finally {
                host.detach(a, target.withoutChap());
            }
        }
    }

    // --- helpers

    static TgtTarget lun(UUID id) {
        String s = id.toString().substring(0, 8);
        return TgtTarget.create("iqn.2010-01.com.solidfire:spindle-test-grow." + s + ".1", 64 * MIB, "grow" + s, "growsecret-" + s);
    }

    static Target target(TgtTarget lun) {
        return new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null, new Chap(lun.user, Secret.of(lun.password)));
    }

    AttachRequest request(UUID id, TestVm vm, Target target) {
        return new AttachRequest(id, "grow-" + id.toString().substring(0, 8), 64 * MIB, host.findVm(vm.uuid()).orElseThrow(), target,
                true, IoLimits.NONE);
    }

    /** What QEMU reports as the disk's capacity ({@code virsh domblkinfo}). */
    static long capacity(TestVm vm, Attachment a) {
        String info = Cmd.virsh("domblkinfo", vm.name, a.device());
        Matcher m = CAPACITY.matcher(info);
        assertTrue(m.find(), info);
        return Long.parseLong(m.group(1));
    }
}
