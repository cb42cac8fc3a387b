package org.spindle.itest.attach.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.spindle.itest.attach.internal.Configs.config;
import static org.spindle.itest.attach.internal.Configs.strings;

import java.util.Dictionary;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.HypervisorLimit;
import org.spindle.storage.api.attach.VmInfo;

class AttachSettingsTest {
    private static final String PID = "org.spindle.itest.attach~c1";

    private static AttachSettings settings(Object... keysAndValues) {
        return AttachSettings.of(PID, config(keysAndValues));
    }

    private static String refusedKey(Object... keysAndValues) {
        return assertThrows(StorageException.class, () -> settings(keysAndValues)).field();
    }

    @Test
    void aSingleHostIsItsOwnServiceAndTheOlderKeyStillWorks() {
        AttachSettings s = settings("hypervisor_host", "h1", "storage_zone", "z1", "vms", strings("vm1"));

        assertEquals("h1", s.service());
        assertEquals(List.of("h1"), s.hosts());
        assertNull(s.cluster());
        assertEquals(List.of("iqn.2026-11.org.spindle.test:host.h1"), s.initiators());
        assertEquals(List.of(new VmInfo(AttachSettings.vmId(PID, "vm1"), "vm1", "h1", true)), s.vms());
    }

    @Test
    void aClusterIsItsServiceUnlessOneIsNamed() {
        AttachSettings c = settings("hypervisor_hosts", strings("h1", "h2"), "hypervisor_cluster", "c1",
                "storage_zone", "z1", "vms", strings("vm1", "vm2@h2"));

        assertEquals("c1", c.service());
        assertEquals(List.of("iqn.2026-11.org.spindle.test:host.h1", "iqn.2026-11.org.spindle.test:host.h2"),
                c.initiators());
        assertEquals(List.of("h1", "h2"), c.vms().stream().map(VmInfo::host).toList(), "a VM without @host runs on the first host");
        assertEquals("svc", settings("hypervisor_service", "svc", "hypervisor_hosts", strings("h1"),
                "hypervisor_cluster", "c1", "storage_zone", "z1").service());
        assertEquals(List.of("h2", "h1"), settings("hypervisor_hosts", strings("h2", "h1"), "hypervisor_host", "h9",
                "storage_zone", "z1").hosts(), "hypervisor.hosts wins over the older key");
    }

    @Test
    void aVmKeepsItsIdWhenItMovesButNotAcrossConfigurations() {
        AttachSettings before = settings("hypervisor_hosts", strings("h1", "h2"), "storage_zone", "z1", "vms", strings("vm1@h1"));
        AttachSettings after = settings("hypervisor_hosts", strings("h1", "h2"), "storage_zone", "z1", "vms", strings("vm1@h2"));

        assertEquals(before.vm("vm1").orElseThrow().id(), after.vm("vm1").orElseThrow().id());
        assertEquals("h2", after.vm(before.vm("vm1").orElseThrow().id()).orElseThrow().host(), "found by id too");
        assertNotEquals(AttachSettings.vmId(PID, "vm1"), AttachSettings.vmId("org.spindle.itest.attach~h9", "vm1"));
    }

    @Test
    void limitsAreAdvertisedAsGivenAndOnlyKnownOnesEnforced() {
        AttachSettings s = settings("hypervisor_host", "h1", "storage_zone", "z1",
                "hypervisor_limits", strings("iops", "READ_WRITE", "teleport"));

        assertEquals(EnumSet.of(HypervisorLimit.IOPS, HypervisorLimit.READ_WRITE), s.enforced());
        assertArrayEquals(strings("iops", "READ_WRITE", "teleport"), (String[]) s.properties().get("hypervisor.limits"));
        assertFalse(s.enforced().contains(HypervisorLimit.WEIGHT), "weight only when configured");
        assertEquals(EnumSet.of(HypervisorLimit.WEIGHT), settings("hypervisor_host", "h1", "storage_zone", "z1",
                "hypervisor_limits", strings("weight")).enforced());
    }

    @Test
    void propertiesAreTheApiKeys() {
        Dictionary<String, Object> p = settings("hypervisor_hosts", strings("h1", "h2"), "hypervisor_cluster", "c1",
                "storage_zone", "z1", "vms", strings("vm1", "vm2@h2"), "structures", strings("pool1"),
                "hypervisor_initiators", strings("iqn.a", "iqn.b", "iqn.c")).properties();

        assertEquals(PID, p.get("service.pid"));
        assertEquals("test", p.get("hypervisor.type"));
        assertEquals("c1", p.get("hypervisor.service"));
        assertArrayEquals(strings("h1", "h2"), (String[]) p.get("hypervisor.hosts"));
        assertEquals("c1", p.get("hypervisor.cluster"));
        assertEquals("z1", p.get("storage.zone"));
        assertArrayEquals(strings("iscsi"), (String[]) p.get("storage.protocols"));
        assertArrayEquals(strings("iqn.a", "iqn.b", "iqn.c"), (String[]) p.get("hypervisor.initiators"));
        assertArrayEquals(strings("pool1"), (String[]) p.get("hypervisor.structures"));
        assertArrayEquals(strings("vm1@h1", "vm2@h2"), (String[]) p.get("vms"));
        assertArrayEquals(strings(), (String[]) p.get("hypervisor.limits"));

        Dictionary<String, Object> single = settings("hypervisor_host", "h1", "storage_zone", "z1").properties();
        assertNull(single.get("hypervisor.cluster"));
        assertNull(single.get("hypervisor.structures"));
        assertNull(single.get("hypervisor.host"), "the older key is read, never advertised");
    }

    @Test
    void badConfigurationsNameTheirKey() {
        assertEquals("hypervisor.hosts", refusedKey("storage_zone", "z1"));
        assertEquals("hypervisor.hosts", refusedKey("hypervisor_hosts", strings("h1", "h1"), "storage_zone", "z1"));
        assertEquals("hypervisor.hosts", refusedKey("hypervisor_hosts", strings("bad host"), "storage_zone", "z1"));
        assertEquals("storage.zone", refusedKey("hypervisor_host", "h1", "storage_zone", ""));
        assertEquals("hypervisor.cluster", refusedKey("hypervisor_host", "h1", "storage_zone", "z1", "hypervisor_cluster", "a/b"));
        assertEquals("hypervisor.service", refusedKey("hypervisor_host", "h1", "storage_zone", "z1", "hypervisor_service", "a b"));
        assertEquals("storage.protocols", refusedKey("hypervisor_host", "h1", "storage_zone", "z1", "storage_protocols", strings("iSCSI")));
        assertEquals("storage.protocols", refusedKey("hypervisor_host", "h1", "storage_zone", "z1", "storage_protocols", strings()));
        assertEquals("hypervisor.initiators", refusedKey("hypervisor_host", "h1", "storage_zone", "z1",
                "hypervisor_initiators", strings("iqn.a b")));
        assertEquals("vms", refusedKey("hypervisor_host", "h1", "storage_zone", "z1", "vms", strings("vm1@h9")));
        assertEquals("vms", refusedKey("hypervisor_host", "h1", "storage_zone", "z1", "vms", strings("vm1", "vm1@h1")));
        assertEquals("vms", refusedKey("hypervisor_host", "h1", "storage_zone", "z1", "vms", strings("@h1")));
        assertEquals("structures", refusedKey("hypervisor_host", "h1", "storage_zone", "z1", "structures", strings("")));
    }
}
