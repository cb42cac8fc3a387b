package org.spindle.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.spindle.itest.attach.probe.AttachedDisk;
import org.spindle.itest.attach.probe.DetachCall;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.itest.driver.probe.AccessCall;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.runtime.StorageRuntime;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.OfferingService;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeAttachment;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;

/**
 * What an embedder runs (itest.osgi/embed.bnd: API, core, SolidFire driver, SCR, Config Admin, H2, Flyway, SLF4J),
 * plus the test driver and attach service, in a plain framework: Felix (test-felix.bndrun) and Equinox
 * (test-equinox.bndrun) run this same class. A pool and a two-host cluster are configured through Config Admin
 * (the database is the core's default H2 file), then a volume goes through its whole life by
 * {@link VolumeService}: create, attach, QoS change, resize, detach, delete, checked on both test bundles.
 */
class PlainFrameworkTest {
    private static final long TIMEOUT_MS = 30_000;
    private static final long GIB = 1L << 30;
    private static final String IQN_H1 = "iqn.2026-11.org.spindle.test:host.h1";
    private static final String IQN_H2 = "iqn.2026-11.org.spindle.test:host.h2";

    private final BundleContext context = FrameworkUtil.getBundle(PlainFrameworkTest.class).getBundleContext();

    @Test
    @Timeout(60)
    void theEmbeddersBundlesAreActiveInTheFrameworkOfTheRun() {
        // the bndrun says which framework this run is meant for: prove it is the one running
        assertEquals(context.getProperty("spindle.itest.framework"), context.getBundle(0).getSymbolicName());
        for (String bsn : List.of("org.spindle.storage.api", "org.spindle.storage.core", "org.spindle.driver.solidfire",
                "org.apache.felix.scr", "org.apache.felix.configadmin", "com.h2database", "org.flywaydb.core")) {
            Bundle b = bundle(bsn);
            assertEquals(Bundle.ACTIVE, b.getState(), bsn + " is not active");
        }
    }

    @Test
    @Timeout(120)
    void aVolumesLifeThroughVolumeServiceOnATwoHostCluster() throws Exception {
        // no database configuration: the core's default, an H2 file database in its bundle data area, is what a plain
        // framework gets (configuring one here would reactivate the core under the test's feet)
        ConfigurationAdmin cm = service(ConfigurationAdmin.class, null);

        Dictionary<String, Object> pool = new Hashtable<>();
        pool.put("storage.pool", "p1");
        pool.put("storage.zone", "z1");
        pool.put("storage.tags", new String[] {"gold"});
        cm.getFactoryConfiguration("org.spindle.itest.driver", "p1", "?").update(pool);

        Dictionary<String, Object> cluster = new Hashtable<>();
        cluster.put("hypervisor.service", "c1");
        cluster.put("hypervisor.cluster", "c1");
        cluster.put("hypervisor.hosts", new String[] {"h1", "h2"});
        cluster.put("hypervisor.initiators", new String[] {IQN_H1, IQN_H2});
        cluster.put("storage.zone", "z1");
        cluster.put("storage.protocols", new String[] {"iscsi"});
        cluster.put("hypervisor.limits", new String[] {"iops", "read-write"});
        cluster.put("vms", new String[] {"vm1@h2"});
        cm.getFactoryConfiguration("org.spindle.itest.attach", "c1", "?").update(cluster);

        StorageRuntime runtime = service(StorageRuntime.class, null);
        await("pool p1 available", () -> runtime.pool("p1").map(p -> p.available()).orElse(false));
        await("cluster c1 bound", () -> runtime.attachServices().stream()
                .anyMatch(a -> "c1".equals(a.service()) && a.status() == ServiceStatus.BOUND));
        TestSan san = service(TestSan.class, "(storage.pool=p1)");
        TestHypervisor c1 = service(TestHypervisor.class, "(hypervisor.service=c1)");
        assertEquals(List.of(IQN_H1, IQN_H2), c1.initiators());

        OfferingService offerings = service(OfferingService.class, null);
        offerings.create(new Offering("gold", "", List.of("gold"), new QosSpec(new StorageQos(500, 1000, 1500),
                new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)), true));
        VolumeService volumes = service(VolumeService.class, null);

        // create: a row, nothing on the SAN
        Volume v1 = volumes.create(new VolumeSpec("v1", "gold", 10 * GIB, "admin", StorageQos.NONE));
        assertEquals(VolumeState.ALLOCATED, v1.state());
        assertTrue(san.volumes().isEmpty(), "nothing on the SAN before the first attach: " + san.volumes());
        UUID id = v1.id();

        // attach: SAN volume made, the cluster's hosts granted as one group, disk attached on the VM's host
        Volume attached = volumes.attach("v1", "vm1", null);
        assertEquals(VolumeState.ATTACHED, attached.state());
        VolumeAttachment where = attached.attachment();
        assertEquals("c1", where.service());
        assertEquals("vm1", where.vm());
        assertEquals("h2", where.host());
        assertEquals(List.of(IQN_H1, IQN_H2), where.initiators());
        assertEquals(new StorageQos(500, 1000, 1500), san.volume(id).orElseThrow().qos());
        assertEquals(Map.of("c1", List.of(IQN_H1, IQN_H2)), san.groups(id));
        AttachRequest request = c1.attachRequests().get(0);
        assertEquals(10 * GIB, request.sizeBytes());
        assertNotNull(request.target().chap(), "the attach gets the CHAP credentials of the grant");
        AttachedDisk disk = c1.disk(id).orElseThrow();
        assertEquals("h2", disk.host());
        assertEquals(c1.vm("vm1").orElseThrow().id(), disk.vmId());
        assertEquals(400, disk.limits().readIops().rate());
        assertEquals(200, disk.limits().writeIops().rate());

        // QoS change: max and burst on the SAN, read IOPS in the hypervisor; what is unset keeps its value
        Volume changed = volumes.changeQos("v1", new QosSpec(new StorageQos(0, 800, 1200),
                new IoLimits(Limit.of(800), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)));
        assertEquals(VolumeState.ATTACHED, changed.state());
        assertEquals(new StorageQos(500, 800, 1200), san.volume(id).orElseThrow().qos());
        assertEquals(1, c1.limitChanges().size());
        assertEquals(800, c1.limits(id).orElseThrow().readIops().rate());
        assertEquals(200, c1.limits(id).orElseThrow().writeIops().rate());

        // resize while attached: the SAN volume grows, then the hypervisor is told
        Volume grown = volumes.resize("v1", 20 * GIB);
        assertEquals(VolumeState.ATTACHED, grown.state());
        assertEquals(20 * GIB, grown.sizeBytes());
        assertEquals(20 * GIB, san.volume(id).orElseThrow().sizeBytes());
        assertEquals(1, c1.grows().size());
        assertEquals(20 * GIB, c1.grows().get(0).newSizeBytes());
        assertEquals(20 * GIB, c1.disk(id).orElseThrow().sizeBytes());

        // detach: disk removed (the target passed without credentials), exactly the granted group revoked
        Volume detached = volumes.detach("v1");
        assertEquals(VolumeState.READY, detached.state());
        assertNull(detached.attachment());
        assertTrue(c1.disk(id).isEmpty(), "still attached: " + c1.disk(id));
        DetachCall detach = c1.detached().get(0);
        assertEquals(id, detach.attachment().volumeId());
        assertNull(detach.target().chap());
        assertTrue(san.initiators(id).isEmpty(), "still granted after detach: " + san.groups(id));
        List<AccessCall> access = san.accessCalls();
        AccessCall revoke = access.get(access.size() - 1);
        assertEquals(AccessCall.REVOKE, revoke.method());
        assertEquals("c1", revoke.group().name());
        assertEquals(List.of(IQN_H1, IQN_H2), revoke.group().initiators());

        // delete: the SAN volume goes, the row stays as a record
        assertEquals(VolumeState.DESTROYED, volumes.delete("v1").state());
        assertTrue(san.volume(id).isEmpty(), "still on the SAN after delete: " + san.volume(id));
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + bsn + " in the run");
    }

    private <T> T service(Class<T> type, String filter) throws Exception {
        String f = "(objectClass=" + type.getName() + ")";
        if (filter != null) {
            f = "(&" + f + filter + ")";
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(f), null);
        tracker.open();
        try {
            assertNotNull(tracker.waitForService(TIMEOUT_MS), "no service " + f);
            // held by this bundle for the rest of the run: a delayed component must not be deactivated under the test
            return context.getService(tracker.getServiceReference());
        } finally {
            tracker.close();
        }
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!Boolean.TRUE.equals(condition.call())) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
