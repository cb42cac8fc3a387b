package org.spindle.hyper.xen.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.runtime.RejectionReporter;
import org.spindle.test.support.PlainFramework;
import org.spindle.test.support.Rejections;
import org.spindle.xen.simulator.XenSimulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built bundle in a plain OSGi framework with SCR and Config Admin (no Karaf), run once in Apache Felix
 * ({@link XenFelixIT}) and once in Eclipse Equinox ({@link XenEquinoxIT}): it resolves with the SDK and
 * Apache XML-RPC embedded, registers one service per pool configuration with the pool's hosts read through the
 * embedded SDK from a simulator in this JVM, follows a host that joins, finds a VM from inside the bundle, reports a
 * bad configuration, and logs out when the configuration goes. The API comes from the test class path through the system bundle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class XenBundleIT {
    private PlainFramework osgi;
    private Framework framework;
    private Bundle xen;
    private XenSimulator sim;
    private final Rejections reporter = new Rejections();
    private final List<String> rejections = reporter.lines();

    /** A framework of the kind under test, not started. */
    abstract Framework newFramework(Map<String, String> properties);

    @BeforeAll
    void start() throws Exception {
        sim = XenSimulator.builder().host("fx1", "iqn.2026-12.org.spindle.hyperxen:fx1").host("fx2", "iqn.2026-12.org.spindle.hyperxen:fx2")
                .vm("osgi-vm", "fx2", true).build().start();
        osgi = PlainFramework.start(this::newFramework, PlainFramework.exportsOf(Target.class, "org.slf4j;version=1.7.36"),
                "osgi.implementation;osgi.implementation=spindle.storage;version:Version=1.0.0",
                reporter::registerIn,
                Path.of(System.getProperty("xen.it.bundles", "target/it-bundles")),
                Path.of(System.getProperty("xen.bundle", "target/org.spindle.hyper.xen-0.1.0-SNAPSHOT.jar")));
        framework = osgi.framework();
        xen = osgi.bundle();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (osgi != null) {
                osgi.close();
            }
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
    }

    private Object configure(String pool, Object... keyValues) throws Exception {
        BundleContext ctx = framework.getBundleContext();
        ServiceReference<?> ref = ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        Object admin = ctx.getService(ref);
        Object config = admin.getClass().getMethod("getFactoryConfiguration", String.class, String.class, String.class)
                .invoke(admin, XenAttachService.FACTORY_PID, pool, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("pool.name", pool);
        p.put("xen.url", sim.url());
        p.put(".xen.password", sim.password());
        p.put("tls.fingerprint.sha256", sim.certificateSha256());
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        config.getClass().getMethod("update", java.util.Dictionary.class).invoke(config, p);
        return config;
    }

    private ServiceReference<HypervisorAttachService> await(String pool) throws Exception {
        BundleContext ctx = framework.getBundleContext();
        ServiceTracker<HypervisorAttachService, HypervisorAttachService> t = new ServiceTracker<>(ctx,
                ctx.createFilter("(&(objectClass=" + HypervisorAttachService.class.getName() + ")(hypervisor.service=" + pool + "))"), null);
        t.open();
        try {
            assertNotNull(t.waitForService(20_000), "no attach service for pool " + pool);
            return t.getServiceReference();
        } finally {
            t.close();
        }
    }

    @Test
    void resolvesRegistersPerPoolAndTalksToThePoolFromInsideTheBundle() throws Exception {
        assertEquals(Bundle.ACTIVE, xen.getState());
        assertEquals(".,lib/xen-api.jar,lib/xmlrpc-client.jar,lib/xmlrpc-common.jar,lib/ws-commons-util.jar",
                xen.getHeaders().get(Constants.BUNDLE_CLASSPATH));
        assertNull(xen.getHeaders().get(Constants.EXPORT_PACKAGE));

        Object config = configure("osgipool", "storage.zone", "zf", "refresh.seconds", 1);
        ServiceReference<HypervisorAttachService> ref = await("osgipool");
        assertEquals("xen", ref.getProperty("hypervisor.type"));
        assertEquals("osgipool", ref.getProperty("hypervisor.cluster"));
        assertArrayEquals(new String[] {"fx1", "fx2"}, (String[]) ref.getProperty("hypervisor.hosts"));
        assertArrayEquals(new String[] {"iqn.2026-12.org.spindle.hyperxen:fx1", "iqn.2026-12.org.spindle.hyperxen:fx2"},
                (String[]) ref.getProperty("hypervisor.initiators"));
        assertArrayEquals(new String[] {"WEIGHT"}, (String[]) ref.getProperty("hypervisor.limits"));
        assertArrayEquals(new String[] {HypervisorAttachService.class.getName()}, (String[]) ref.getProperty(Constants.OBJECTCLASS));
        HypervisorAttachService service = framework.getBundleContext().getService(ref);
        VmInfo vm = service.findVm("osgi-vm").orElseThrow();
        assertEquals(new VmInfo(sim.vmUuid("osgi-vm"), "osgi-vm", "fx2", true), vm);
        // the read-back and stats classes load inside the bundle: nothing is attached, and an unknown disk is NOT_FOUND
        assertEquals(List.of(), service.attachments());
        Attachment unknown = new Attachment(UUID.randomUUID(), vm.id(), vm.name(), vm.host(), "", null, true);
        StorageException none = assertThrows(StorageException.class, () -> service.diskStats(unknown));
        assertEquals(StorageException.Reason.NOT_FOUND, none.reason());
        framework.getBundleContext().ungetService(ref);
        assertEquals(1, sim.sessionCount());

        // a host joins the pool: the registration follows (the core then grants the new initiator and calls updateHosts)
        sim.joinHost("fx3", "iqn.2026-12.org.spindle.hyperxen:fx3");
        long until = System.currentTimeMillis() + 15_000;
        while (((String[]) ref.getProperty("hypervisor.hosts")).length < 3 && System.currentTimeMillis() < until) {
            Thread.sleep(100);
        }
        assertArrayEquals(new String[] {"fx1", "fx2", "fx3"}, (String[]) ref.getProperty("hypervisor.hosts"));
        assertArrayEquals(new String[] {"iqn.2026-12.org.spindle.hyperxen:fx1", "iqn.2026-12.org.spindle.hyperxen:fx2",
                "iqn.2026-12.org.spindle.hyperxen:fx3"}, (String[]) ref.getProperty("hypervisor.initiators"));
        assertEquals(1, sim.sessionCount(), "the refresh reuses the session");

        config.getClass().getMethod("delete").invoke(config);
        long deadline = System.currentTimeMillis() + 10_000;
        while (sim.sessionCount() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, sim.sessionCount(), "the session is logged out when the configuration goes");
    }

    @Test
    void aBadConfigurationIsReportedWithItsKey() throws Exception {
        configure("badpool", "xen.url", "http://127.0.0.1/");
        // a bounded wait, not a timing check: once (1 run in 6, Equinox, a loaded machine) 10 s were not enough
        long deadline = System.currentTimeMillis() + 30_000;
        while (rejections.stream().noneMatch(r -> r.contains("xen.url")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(rejections.stream().anyMatch(r -> r.startsWith("ATTACH_SERVICE org.spindle.hyper.xen xen: xen.url: must be https")), rejections + " refs seen by the bundle: "
                + java.util.Arrays.toString(xen.getBundleContext().getAllServiceReferences(RejectionReporter.class.getName(), null))
                + " visible: " + java.util.Arrays.toString(xen.getBundleContext().getServiceReferences(RejectionReporter.class.getName(), null))
                + " wires: " + xen.adapt(org.osgi.framework.wiring.BundleWiring.class).getRequiredWires("osgi.wiring.package"));
    }
}
