package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.spindle.test.support.Commands;

/**
 * A remote host reached over {@code qemu+tls://} and over {@code qemu+ssh://} (the second libvirtd of
 * scripts/libvirt-remote.sh, on loopback), its credentials inline in the host configuration as an operator writes
 * them: attach with CHAP and iotune to a running VM of that host, a live limit change, detach. A client certificate
 * the host does not admit, and an SSH host key that is not the known one, are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmRemoteHostTest {
    static final long MIB = 1024 * 1024;
    static final IoLimits PLAN = new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.of(10 * MIB), Limit.NONE, Limit.NONE);

    RemotePeers remote;
    TestVm vm;
    TgtTarget lun;
    LibvirtEvents events;

    @BeforeAll
    void setUp() {
        remote = RemotePeers.require();
        events = new LibvirtEvents();
        vm = TestVm.define(remote.virshUri(), "spindle-test-remote-" + UUID.randomUUID().toString().substring(0, 8), true);
        String s = UUID.randomUUID().toString().substring(0, 8);
        lun = TgtTarget.create("iqn.2010-01.com.solidfire:spindle-test-remote." + s + ".1", 32 * MIB, "rem" + s, "remotesecret-" + s);
    }

    @AfterAll
    void tearDown() {
        if (vm != null) {
            vm.close();
        }
        if (lun != null) {
            lun.close();
        }
        if (events != null) {
            events.close();
        }
    }

    @Test
    void overTls() throws Exception {
        flow(Configs.settings(remote.tlsConfig("remote-tls")));
    }

    @Test
    void overSsh() throws Exception {
        flow(Configs.settings(remote.sshConfig("remote-ssh")));
    }

    void flow(HostSettings settings) throws Exception {
        Path dir = Files.createTempDirectory("spindle-kvm-remote");
        try (KvmHost host = new KvmHost(settings, events, dir, null)) {
            UUID id = UUID.randomUUID();
            Attachment a = host.attach(new AttachRequest(id, "rem-" + id.toString().substring(0, 8), 32 * MIB,
                    host.findVm(vm.name).orElseThrow(), target(), true, PLAN));
            try {
                assertEquals(vm.uuid(), a.vmId());
                String disk = KvmIscsiAttachTest.diskElement(vm.liveXml(), DiskXml.alias(id)); // validated
                assertTrue(disk.contains("<read_iops_sec>400</read_iops_sec>"), disk);
                assertTrue(disk.contains("<secret type='iscsi' usage='" + a.structure() + "'/>"), disk);
                assertEquals(List.of(Configs.INITIATOR), lun.initiators(), "QEMU of the remote host logged in");
                host.changeLimits(a, new IoLimits(Limit.of(800), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE));
                assertTrue(remote.virsh("blkdeviotune", vm.uuid(), a.device()).matches("(?s).*read_iops_sec\\s*:\\s*800\\b.*"));
            } finally {
                host.detach(a, target().withoutChap());
            }
            assertFalse(vm.liveXml().contains(DiskXml.alias(id)));
            assertFalse(remote.virsh("secret-list").contains(a.structure()), "the secret left the remote host");
            // the key material is private to this runtime
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))
                            .replace("rwx------", "rw-------"), f.toString());
                }
            }
        }
    }

    @Test
    void aClientCertificateTheHostDoesNotAdmitIsRefused() throws Exception {
        // a certificate of the same CA would be admitted by the CA check alone; this one is self-signed
        Path other = Files.createTempDirectory("spindle-kvm-intruder");
        Commands.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", other.resolve("k.pem").toString(), "-out",
                other.resolve("c.pem").toString(), "-days", "1", "-subj", "/CN=intruder").ok();
        Object[] config = remote.tlsConfig("remote-tls-bad");
        config[7] = Files.readString(other.resolve("c.pem"));
        config[9] = Files.readString(other.resolve("k.pem"));
        try (KvmHost host = new KvmHost(Configs.settings(config), events, Files.createTempDirectory("spindle-kvm-bad"), null)) {
            StorageException e = assertThrows(StorageException.class, () -> host.findVm(vm.name));
            assertEquals(Reason.UNAVAILABLE, e.reason(), e.getMessage());
            assertFalse(e.getMessage().contains("PRIVATE KEY"), e.getMessage());
        }
    }

    @Test
    void anUnknownSshHostKeyIsRefused() throws Exception {
        Path other = Files.createTempDirectory("spindle-kvm-hostkey");
        Commands.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.resolve("k").toString()).ok();
        String wrongKey = Files.readString(other.resolve("k.pub")).trim().split(" ")[1];
        Object[] config = remote.sshConfig("remote-ssh-bad");
        config[5] = RemotePeers.read(remote.knownHosts()).replaceFirst("ssh-ed25519 \\S+", "ssh-ed25519 " + wrongKey);
        try (KvmHost host = new KvmHost(Configs.settings(config), events, Files.createTempDirectory("spindle-kvm-bad"), null)) {
            StorageException e = assertThrows(StorageException.class, () -> host.findVm(vm.name));
            assertEquals(Reason.UNAVAILABLE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("host key"), e.getMessage());
        }
    }

    Target target() {
        return new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null, new Chap(lun.user, Secret.of(lun.password)));
    }
}
