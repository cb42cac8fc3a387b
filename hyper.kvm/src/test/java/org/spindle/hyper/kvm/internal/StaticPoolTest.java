package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.test.support.Commands;

/** Static pools: a libvirt {@code dir} pool under a temporary directory, a volume in it attached as {@code type='volume'}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticPoolTest {
    static final String VM = "spindle-test-pool";
    static final String POOL = "spindle-test-dir";

    TestVm vm;
    Path dir;
    KvmHost host;

    @BeforeAll
    void setUp() throws Exception {
        Peers.require();
        vm = TestVm.define(VM, true);
        dir = Files.createTempDirectory("spindle-pool");
        // QEMU runs as libvirt-qemu: the pool directory must be traversable (libvirt chowns the volume itself)
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Commands.run("virsh", "-c", Peers.URI, "pool-destroy", POOL);
        Commands.run("virsh", "-c", Peers.URI, "pool-undefine", POOL);
        Cmd.virsh("pool-create-as", POOL, "dir", "--target", dir.toString());
        host = new KvmHost(Configs.settings("structures", new String[] {POOL}));
    }

    @AfterAll
    void tearDown() throws Exception {
        if (host != null) {
            host.close();
        }
        if (vm != null) {
            vm.close();
        }
        Commands.run("virsh", "-c", Peers.URI, "pool-destroy", POOL);
        if (dir != null) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void createAttachDetachDelete() {
        UUID id = UUID.randomUUID();
        StaticDiskRequest request = new StaticDiskRequest(id, "data1", POOL, 8L * 1024 * 1024);
        Target disk = host.createDisk(request);
        assertEquals("file", disk.protocol());
        assertEquals(POOL + "/spindle-" + id + ".raw", disk.name());
        Path file = dir.resolve("spindle-" + id + ".raw");
        assertTrue(Files.exists(file));
        assertEquals(disk, host.createDisk(request), "idempotent");

        IoLimits limits = new IoLimits(Limit.NONE, Limit.NONE, Limit.of(400), Limit.NONE, Limit.NONE, Limit.NONE);
        Attachment a = host.attach(new AttachRequest(id, "data1", request.sizeBytes(), host.findVm(VM).orElseThrow(), disk, false,
                limits));
        assertNull(a.structure());
        assertFalse(a.managed());
        String xml = KvmIscsiAttachTest.diskElement(vm.liveXml(), DiskXml.alias(id));
        assertTrue(xml.contains("<disk type='volume' device='disk'>"), xml);
        assertTrue(xml.contains("<source pool='" + POOL + "' volume='spindle-" + id + ".raw'"), xml);
        assertTrue(xml.contains("<total_iops_sec>400</total_iops_sec>"), xml);
        StorageException grow = assertThrows(StorageException.class, () -> host.grow(a, 2 * request.sizeBytes()));
        assertEquals(Reason.CONFLICT, grow.reason(), "static pools do not grow: " + grow.getMessage());
        assertEquals("volume", grow.field());
        assertEquals(a, host.updateHosts(a, disk));

        host.detach(a, disk);
        assertFalse(vm.liveXml().contains(DiskXml.alias(id)));
        assertFalse(vm.configXml().contains(DiskXml.alias(id)));

        host.deleteDisk(disk);
        assertFalse(Files.exists(file));
        host.deleteDisk(disk); // idempotent
    }

    @Test
    void unknownStructuresAreRefused() {
        StorageException e = assertThrows(StorageException.class,
                () -> host.createDisk(new StaticDiskRequest(UUID.randomUUID(), "x", "other-pool", 1024)));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals("structure", e.field());
        StorageException missing = assertThrows(StorageException.class, () -> host.attach(new AttachRequest(UUID.randomUUID(), "x",
                1024, host.findVm(VM).orElseThrow(), new Target("file", List.of(), POOL + "/no-such.raw", 0, null, null), false,
                IoLimits.NONE)));
        assertEquals(Reason.NOT_FOUND, missing.reason());
        assertEquals("target.name", missing.field());
    }
}
