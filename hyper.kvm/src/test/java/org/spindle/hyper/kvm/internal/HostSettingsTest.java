package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;

class HostSettingsTest {

    @Test
    void defaults() {
        HostSettings s = Configs.settings();
        assertEquals("qemu:///system", s.libvirtUri());
        assertEquals("host1", s.host());
        assertEquals("", s.zone());
        assertEquals(Configs.INITIATOR, s.initiatorIqn());
        assertEquals("scsi", s.diskBus());
        assertEquals(List.of(), s.structures());
        assertEquals(Duration.ofSeconds(15), s.connectTimeout());
        assertEquals(Duration.ofSeconds(10), s.detachTimeout());
    }

    @Test
    void remoteUrisAndStructures() {
        HostSettings s = Configs.settings("libvirt.uri", "qemu+ssh://root@kvm7.example.org/system?no_tty=1",
                "structures", new String[] {"images, fast", "slow"}, "storage.zone", "zone-a", "disk.bus", "virtio");
        assertEquals(List.of("images", "fast", "slow"), s.structures());
        assertEquals("zone-a", s.zone());
        assertEquals("virtio", s.diskBus());
        Configs.settings("libvirt.uri", "qemu+tls://kvm7.example.org/system");
        Configs.settings("initiator.iqn", "eui.0123456789abcdef");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "libvirt.uri|xen:///system|must use one of the schemes",
            "libvirt.uri|qemu:///nowhere|must end in /system or /session",
            "libvirt.uri|qemu+ssh://root:pw@h/system|must not carry a password",
            "libvirt.uri|''|must not be empty",
            "hypervisor.host|''|must be set",
            "hypervisor.host|a host|must be a host name",
            "storage.zone|zone a|letters, digits",
            "initiator.iqn|''|must be set",
            "initiator.iqn|iqn.2024-01.org.Example:HOST|must be an iSCSI name",
            "initiator.iqn|host1|must be an iSCSI name",
            "disk.bus|ide|must be scsi or virtio",
            "connect.timeout.seconds|0|between 1 and 600",
            "detach.timeout.seconds|601|between 1 and 600",
            "call.timeout.seconds|10|longer than detach.timeout.seconds",
            "keepalive.interval.seconds|-1|between 0 (off) and 600",
            "libvirt.uri|qemu+tls://h/system?no_verify=1|must not turn off the host's verification",
            "libvirt.uri|qemu+libssh://h/system?known_hosts_verify=ignore|must not turn off the host key check",
            "tls.ca|-----BEGIN CERTIFICATE-----|only for qemu+tls URIs",
            "ssh.known.hosts|[h]:22 ssh-ed25519 AAAA|only for qemu+ssh URIs"})
    void refusalsNameTheKey(String key, String value, String message) {
        Object v = key.endsWith(".seconds") || key.equals("keepalive.count") ? (Object) Integer.valueOf(value) : value;
        StorageException e = assertThrows(StorageException.class, () -> Configs.settings(key, v));
        assertEquals(Reason.INVALID_ARGUMENT, e.reason());
        assertEquals(key, e.field());
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void tlsKeysGoTogetherAndTheKeyIsNeverShown() {
        String cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        String key = "-----BEGIN PRIVATE KEY-----\nsecret-key-material\n-----END PRIVATE KEY-----";
        StorageException e = assertThrows(StorageException.class, () -> Configs.settings("libvirt.uri", "qemu+tls://h/system",
                "tls.ca", cert, "tls.certificate", cert));
        assertEquals(".tls.key", e.field());
        e = assertThrows(StorageException.class, () -> Configs.settings("libvirt.uri", "qemu+tls://h/system",
                "tls.ca", cert, "tls.certificate", cert, ".tls.key", key, "libvirt.uri", "qemu+tls://h/system?pkipath=/x"));
        assertEquals("libvirt.uri", e.field());
        HostSettings s = Configs.settings("libvirt.uri", "qemu+tls://h/system", "tls.ca", cert, "tls.certificate", cert,
                ".tls.key", key);
        assertTrue(s.remote().tls());
        assertFalse(s.toString().contains("secret-key-material"), s.toString());
        assertFalse(s.remote().toString().contains("secret-key-material"));
    }

    @Test
    void structureNames() {
        StorageException e = assertThrows(StorageException.class,
                () -> Configs.settings("structures", new String[] {"a", "a"}));
        assertEquals("structures", e.field());
        e = assertThrows(StorageException.class, () -> Configs.settings("structures", new String[] {"a/b"}));
        assertEquals("structures", e.field());
    }
}
