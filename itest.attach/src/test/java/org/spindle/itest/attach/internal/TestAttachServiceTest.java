package org.spindle.itest.attach.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.itest.attach.internal.Configs.config;
import static org.spindle.itest.attach.internal.Configs.strings;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentException;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.qos.IoLimits;

class TestAttachServiceTest {
    private static final String PID = "org.spindle.itest.attach~c1";
    private static final String HOST_SERVICE = HypervisorAttachService.class.getName();
    private static final String PROBE = TestHypervisor.class.getName();

    private final FakeFramework framework = new FakeFramework();

    private static TestAttachConfig cluster(String[] hosts, String... vms) {
        return config("hypervisor_hosts", hosts, "hypervisor_cluster", "c1", "storage_zone", "z1", "vms", vms);
    }

    private TestAttachService activate(TestAttachConfig config) {
        return new TestAttachService(config, framework.component(), Map.of("service.pid", PID));
    }

    private static void attachOne(FakeFramework.Registration r, String vm) {
        HypervisorAttachService service = (HypervisorAttachService) r.service;
        UUID volume = UUID.randomUUID();
        service.attach(new AttachRequest(volume, "vol", 1L << 30, service.findVm(vm).orElseThrow(),
                new Target("iscsi", List.of(Portal.iscsi("10.0.0.5")), "iqn.2026-11.org.spindle.test:sf1." + volume, 0,
                        null, null), true, IoLimits.NONE));
    }

    @Test
    void aConfigurationUpdateModifiesTheSameRegistrationAndKeepsTheDisks() {
        TestAttachService component = activate(cluster(strings("h1", "h2"), "vm1@h1"));
        FakeFramework.Registration r = framework.live().get(0);
        assertEquals(List.of(HOST_SERVICE, PROBE), r.interfaces);
        attachOne(r, "vm1");

        component.modified(cluster(strings("h1", "h2"), "vm1@h2"));                 // a live migration
        component.modified(cluster(strings("h1", "h2", "h3"), "vm1@h2"));           // a host joins

        assertEquals(1, framework.registrations.size(), "never registered again");
        assertEquals(3, r.properties.size(), "registered, then modified twice");
        assertArrayEquals(strings("h1", "h2", "h3"), (String[]) r.current().get("hypervisor.hosts"));
        assertArrayEquals(strings("vm1@h2"), (String[]) r.current().get("vms"));
        assertEquals(3, ((String[]) r.current().get("hypervisor.initiators")).length);
        TestHypervisor probe = (TestHypervisor) r.service;
        assertEquals("h2", probe.disks().get(0).host(), "the disk attached before is still there, on the VM's new host");
        assertEquals(List.of("cleared " + PID, "cleared " + PID, "cleared " + PID), framework.reports);

        component.deactivate();
        assertTrue(framework.live().isEmpty());
    }

    @Test
    void structuresRegisterTheServiceAgainAsStaticDisksWithItsState() {
        TestAttachService component = activate(cluster(strings("h1"), "vm1"));
        attachOne(framework.live().get(0), "vm1");

        component.modified(config("hypervisor_hosts", strings("h1"), "hypervisor_cluster", "c1", "storage_zone", "z1",
                "vms", strings("vm1"), "structures", strings("pool1")));

        FakeFramework.Registration r = framework.live().get(0);
        assertEquals(2, framework.registrations.size());
        assertTrue(framework.registrations.get(0).unregistered);
        assertEquals(List.of(HOST_SERVICE, StaticDisks.class.getName(), PROBE), r.interfaces);
        assertTrue(r.service instanceof StaticDisks);
        assertEquals(1, ((TestHypervisor) r.service).disks().size(), "the state moved along");

        component.modified(cluster(strings("h1"), "vm1"));
        assertFalse(framework.live().get(0).service instanceof StaticDisks);
        assertEquals(1, ((TestHypervisor) framework.live().get(0).service).disks().size());
    }

    @Test
    void anInvalidUpdateWithdrawsTheServiceUntilAValidOne() {
        TestAttachService component = activate(cluster(strings("h1"), "vm1"));
        attachOne(framework.live().get(0), "vm1");

        component.modified(cluster(strings("h1"), "vm1@h7"));

        assertTrue(framework.live().isEmpty());
        assertTrue(framework.reports.get(1).startsWith("rejected " + PID + ": vms: "), framework.reports.toString());

        component.modified(cluster(strings("h1"), "vm1"));
        FakeFramework.Registration back = framework.live().get(0);
        assertEquals(1, ((TestHypervisor) back.service).disks().size());
        assertEquals("cleared " + PID, framework.reports.get(2));
    }

    @Test
    void anInvalidConfigurationFailsTheActivationAndIsReported() {
        ComponentException e = assertThrows(ComponentException.class,
                () -> activate(config("hypervisor_hosts", strings(), "storage_zone", "z1")));
        assertTrue(e.getMessage().startsWith("hypervisor.hosts: "), e.getMessage());
        assertTrue(framework.registrations.isEmpty());
        assertEquals(1, framework.reports.size());
    }

    @Test
    void theProbeIsTheRegisteredServiceItself() {
        activate(cluster(strings("h1", "h2"), "vm1", "vm2@h2"));
        FakeFramework.Registration r = framework.live().get(0);
        TestHypervisor probe = (TestHypervisor) r.service;
        assertSame(r.service, probe);
        assertEquals("c1", probe.service());
        assertEquals(List.of("h1", "h2"), probe.hosts());
        assertEquals("c1", probe.cluster());
        assertEquals(List.of("vm1", "vm2"), probe.vms().stream().map(v -> v.name()).toList());
    }

    @Test
    void aServiceCallWaitsItsLatencyOutsideTheHypervisorsLock() throws Exception {
        activate(config("hypervisor_hosts", strings("h1"), "storage_zone", "z1", "vms", strings("vm1"), "call_latency_ms", 3_000L));
        FakeFramework.Registration r = framework.live().get(0);
        HypervisorAttachService service = (HypervisorAttachService) r.service;
        Thread caller = new Thread(() -> service.findVm("vm1"));
        caller.start();
        while (caller.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
        // the probe takes the same lock and waits no latency: it answers while the service call still waits
        assertEquals(List.of(), ((TestHypervisor) r.service).disks());
        assertTrue(caller.isAlive(), "the probe did not wait for the slow call");
        caller.join();
        assertEquals(List.of("vm1"), ((TestHypervisor) r.service).vmLookups());
    }

    @Test
    void aNegativeLatencyFailsTheActivationNamingItsKey() {
        ComponentException e = assertThrows(ComponentException.class,
                () -> activate(config("hypervisor_hosts", strings("h1"), "storage_zone", "z1", "call_latency_ms", -5L)));
        assertTrue(e.getMessage().startsWith("call.latency.ms: "), e.getMessage());
    }
}
