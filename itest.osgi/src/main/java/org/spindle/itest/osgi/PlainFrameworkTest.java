package org.spindle.itest.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.itest.driver.probe.SanVolumeState;
import org.spindle.itest.driver.probe.TestSan;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosSpec;
import org.spindle.storage.api.qos.StorageQos;
import org.spindle.storage.api.runtime.ServiceStatus;
import org.spindle.storage.api.runtime.StorageRuntime;
import org.spindle.storage.api.volume.Offering;
import org.spindle.storage.api.volume.OfferingService;
import org.spindle.storage.api.volume.Volume;
import org.spindle.storage.api.volume.VolumeService;
import org.spindle.storage.api.volume.VolumeSpec;
import org.spindle.storage.api.volume.VolumeState;

/**
 * API + core + the test driver and attach service in bare Felix (SCR, Config Admin, Event Admin, H2, Flyway):
 * configure a pool and a host through Config Admin (the database is the default H2 file), then create an offering, a volume, attach and
 * detach it through the Java services.
 */
class PlainFrameworkTest {
    private static final long TIMEOUT_MS = 30_000;
    private final BundleContext context = FrameworkUtil.getBundle(PlainFrameworkTest.class).getBundleContext();

    @Test
    @Timeout(120)
    void offeringVolumeAttachThroughTheJavaServices() throws Exception {
        // no database configuration: the core's default, an H2 file database in its bundle data area, is what a plain
        // framework gets (configuring one here would reactivate the core under the test's feet)
        ConfigurationAdmin cm = service(ConfigurationAdmin.class, null);

        Dictionary<String, Object> pool = new Hashtable<>();
        pool.put("storage.pool", "p1");
        pool.put("storage.zone", "z1");
        pool.put("storage.tags", new String[] {"gold"});
        cm.getFactoryConfiguration("org.spindle.itest.driver", "p1", "?").update(pool);

        Dictionary<String, Object> host = new Hashtable<>();
        host.put("hypervisor.host", "h1");
        host.put("storage.zone", "z1");
        host.put("storage.protocols", new String[] {"iscsi"});
        host.put("hypervisor.limits", new String[] {"iops", "read-write"});
        host.put("vms", new String[] {"vm1"});
        cm.getFactoryConfiguration("org.spindle.itest.attach", "h1", "?").update(host);

        StorageRuntime runtime = service(StorageRuntime.class, null);
        await("pool p1 available", () -> runtime.pool("p1").map(p -> p.available()).orElse(false));
        await("host h1 bound", () -> runtime.attachServices().stream()
                .anyMatch(a -> "h1".equals(a.host()) && a.status() == ServiceStatus.BOUND));
        TestSan san = service(TestSan.class, "(storage.pool=p1)");
        TestHypervisor h1 = service(TestHypervisor.class, "(hypervisor.host=h1)");

        OfferingService offerings = service(OfferingService.class, null);
        offerings.create(new Offering("gold", "", List.of("gold"), new QosSpec(new StorageQos(500, 1000, 1500),
                new IoLimits(Limit.of(400), Limit.of(200), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE)), false));

        VolumeService volumes = service(VolumeService.class, null);
        Volume v1 = volumes.create(new VolumeSpec("v1", "gold", 10L << 30, "admin", StorageQos.NONE));
        assertEquals(VolumeState.ALLOCATED, v1.state());
        assertTrue(san.volumes().isEmpty());

        Volume attached = volumes.attach("v1", "vm1", null);
        assertEquals(VolumeState.ATTACHED, attached.state());
        UUID id = attached.id();
        SanVolumeState onSan = san.volume(id).orElseThrow();
        assertEquals(new StorageQos(500, 1000, 1500), onSan.qos());
        assertEquals(List.of("iqn.2026-11.org.spindle.test:host.h1"), onSan.initiators());
        IoLimits limits = h1.limits(id).orElseThrow();
        assertEquals(400, limits.readIops().rate());
        assertEquals(200, limits.writeIops().rate());

        assertEquals(VolumeState.READY, volumes.detach("v1").state());
        assertTrue(san.volume(id).orElseThrow().initiators().isEmpty());
        assertEquals(VolumeState.DESTROYED, volumes.delete("v1").state());
        assertTrue(san.volume(id).isEmpty());
    }

    private <T> T service(Class<T> type, String filter) throws Exception {
        String f = "(objectClass=" + type.getName() + ")";
        if (filter != null) {
            f = "(&" + f + filter + ")";
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(f), null);
        tracker.open();
        assertNotNull(tracker.waitForService(TIMEOUT_MS), "no service " + f);
        T service = context.getService(tracker.getServiceReference());
        tracker.close();
        return service;
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
