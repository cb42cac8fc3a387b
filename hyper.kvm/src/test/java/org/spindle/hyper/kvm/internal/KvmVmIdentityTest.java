package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
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
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;

/**
 * VMs are named by their libvirt name or UUID, and found after an attach by their UUID only: a renamed domain keeps
 * its disk under Spindle's control, and a new domain that takes the old name is never touched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmVmIdentityTest {
    static final long MIB = 1024 * 1024;

    KvmHost host;

    @BeforeAll
    void setUp() {
        Peers.require();
        host = new KvmHost(Configs.settings());
    }

    @AfterAll
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void findsAVmByNameAndByUuid() {
        try (TestVm vm = TestVm.define("spindle-test-identity", true)) {
            VmInfo expected = new VmInfo(vm.uuid(), vm.name, "host1", true);
            assertEquals(expected, host.findVm(vm.name).orElseThrow());
            assertEquals(expected, host.findVm(vm.uuid()).orElseThrow());
            assertEquals(expected, host.findVm(vm.uuid().toUpperCase(Locale.ROOT)).orElseThrow(), "UUIDs ignore case");
            assertTrue(host.findVm(UUID.randomUUID().toString()).isEmpty());
            assertTrue(host.findVm("spindle-test-no-such-vm").isEmpty());
        }
    }

    @Test
    void refusesWhatCannotBeAVmNamingTheField() {
        for (String bad : new String[] {"", "  ", "a/b", "tab\there", "x".repeat(Domains.MAX_NAME + 1)}) {
            StorageException e = assertThrows(StorageException.class, () -> host.findVm(bad), bad);
            assertEquals(Reason.INVALID_ARGUMENT, e.reason(), bad);
            assertEquals("vm", e.field(), bad);
        }
        StorageException e = assertThrows(StorageException.class, () -> host.findVm(null));
        assertEquals("vm", e.field());
        // names are the hypervisor's own: spaces are fine
        assertTrue(host.findVm("a vm with spaces").isEmpty());
    }

    @Test
    void aNameThatIsAnotherVmsUuidAsksForTheId() {
        try (TestVm vm = TestVm.define("spindle-test-identity-uuid", false); TestVm twin = TestVm.create(vm.uuid(), false)) {
            StorageException e = assertThrows(StorageException.class, () -> host.findVm(vm.uuid()));
            assertEquals(Reason.CONFLICT, e.reason(), e.getMessage());
            assertEquals("vm", e.field());
            assertTrue(e.getMessage().contains(twin.uuid()), e.getMessage());
            assertEquals(vm.uuid(), host.findVm(vm.name).orElseThrow().id());
            assertEquals(twin.uuid(), host.findVm(twin.uuid()).orElseThrow().id());
        }
    }

    @Test
    void laterCallsFindTheVmByItsIdAfterARename() {
        UUID id = UUID.randomUUID();
        String s = id.toString().substring(0, 8);
        String oldName = "spindle-test-rename";
        try (TestVm original = TestVm.define(oldName, false);
             TgtTarget lun = TgtTarget.create("iqn.2010-01.com.solidfire:spindle-test-rename." + s + ".1", 16 * MIB, "ren" + s,
                     "renamesecret-" + s)) {
            Target target = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null,
                    new Chap(lun.user, Secret.of(lun.password)));
            VmInfo vm = host.findVm(oldName).orElseThrow();
            Attachment a = host.attach(new AttachRequest(id, "ren-" + s, 16 * MIB, vm, target, true, IoLimits.NONE));
            assertEquals(original.uuid(), a.vmId());
            assertEquals(oldName, a.vmName());

            // libvirt renames only a stopped domain; a second domain then takes the old name
            try (TestVm renamed = original.rename("spindle-test-renamed"); TestVm decoy = TestVm.define(oldName, false)) {
                try {
                    followsTheId(a, target, renamed, decoy);
                } finally {
                    host.detach(a, target.withoutChap());
                }
                assertFalse(renamed.configXml().contains(DiskXml.alias(id)));
                assertFalse(Cmd.virsh("secret-list").contains(ChapSecrets.uuid(id, renamed.uuid()).toString()));
                StorageException gone = assertThrows(StorageException.class, () -> host.updateHosts(a, target));
                assertEquals(Reason.NOT_FOUND, gone.reason());
                assertEquals("attachment", gone.field());
            }
        }
    }

    /** Every later call reaches the renamed domain and leaves the one that took its old name alone. */
    void followsTheId(Attachment a, Target target, TestVm renamed, TestVm decoy) {
        String alias = DiskXml.alias(a.volumeId());
        assertNotEquals(renamed.uuid(), decoy.uuid());
        assertEquals(decoy.uuid(), host.findVm(a.vmName()).orElseThrow().id(), "the old name now designates the decoy");

        host.changeLimits(a, new IoLimits(Limit.NONE, Limit.NONE, Limit.of(321), Limit.NONE, Limit.NONE, Limit.NONE));
        assertTrue(KvmIscsiAttachTest.diskElement(renamed.configXml(), alias).contains("<total_iops_sec>321</total_iops_sec>"));
        assertEquals(a, host.updateHosts(a, target));
        host.grow(a, 16 * MIB); // stopped: nothing to tell QEMU, but the disk is found
        StorageException stats = assertThrows(StorageException.class, () -> host.diskStats(a));
        assertEquals(Reason.CONFLICT, stats.reason(), "found, and stopped: " + stats.getMessage());
        assertTrue(stats.getMessage().contains("spindle-test-renamed"), stats.getMessage());
        assertFalse(decoy.configXml().contains(alias), "the decoy was never touched");
    }

    @Test
    void anAttachmentOfAVmThatIsGoneIsNotFoundAndDetachesCleanly() {
        UUID id = UUID.randomUUID();
        Attachment a = new Attachment(id, UUID.randomUUID().toString(), "spindle-test-gone", "host1", "sdb", "x", true);
        Target target = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), "iqn.2010-01.com.example:gone", 1, null, null);
        for (Runnable call : List.<Runnable>of(() -> host.changeLimits(a, IoLimits.NONE), () -> host.grow(a, MIB),
                () -> host.updateHosts(a, target), () -> host.diskStats(a))) {
            StorageException e = assertThrows(StorageException.class, call::run);
            assertEquals(Reason.NOT_FOUND, e.reason(), e.getMessage());
            assertEquals("vm", e.field());
        }
        host.detach(a, target); // nothing left to undo
        StorageException bad = assertThrows(StorageException.class,
                () -> host.changeLimits(new Attachment(id, "web1", "web1", "host1", "sdb", null, false), IoLimits.NONE));
        assertEquals(Reason.INVALID_ARGUMENT, bad.reason());
        assertEquals("vm.id", bad.field(), "an attachment names its VM by UUID, never by name");
    }
}
