package org.spindle.hyper.vmware.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.spindle.hyper.vmware.internal.vim.MoRef;
import org.spindle.hyper.vmware.internal.vim.Properties;
import org.spindle.hyper.vmware.internal.vim.SoapVSphere;
import org.spindle.hyper.vmware.internal.vim.VimConnection;
import org.spindle.hyper.vmware.internal.vim.VimTrust;
import org.spindle.hyper.vmware.internal.vim.Xml;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.test.support.PlainFramework;
import org.spindle.test.support.Rejections;

/**
 * The built bundle in a plain Felix framework with SCR and Config Admin: it resolves on the JDK and the Spindle API
 * alone, stays inert without a configuration, reports a bad one by its key, and with a configuration pointing at
 * spindle-vcsim registers one service whose hosts and initiators come from vCenter, attaches and detaches a tgt LUN
 * through it, and goes away with its configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmwareBundleIT {
    PlainFramework osgi;
    Framework framework;
    Bundle vmware;
    final Rejections reporter = new Rejections();
    final List<String> rejections = reporter.lines();

    @BeforeAll
    void startFramework() throws Exception {
        osgi = PlainFramework.start(new org.apache.felix.framework.FrameworkFactory()::newFramework,
                PlainFramework.exportsOf(Target.class, "org.slf4j;version=1.7.36"),
                "osgi.implementation;osgi.implementation=spindle.storage;version:Version=1.0.0",
                reporter::registerIn,
                Path.of(System.getProperty("vmware.it.bundles", "target/it-bundles")),
                Path.of(System.getProperty("vmware.bundle", "target/org.spindle.hyper.vmware-0.1.0-SNAPSHOT.jar")));
        framework = osgi.framework();
        vmware = osgi.bundle();
    }

    @AfterAll
    void stopFramework() throws Exception {
        if (osgi != null) {
            osgi.close();
        }
    }

    @Test
    @Order(1)
    void resolvesOnTheJdkAndTheApiAndIsInertWithoutConfiguration() throws Exception {
        assertEquals(Bundle.ACTIVE, vmware.getState());
        assertNull(vmware.getHeaders().get(Constants.EXPORT_PACKAGE));
        assertNull(vmware.getHeaders().get(Constants.BUNDLE_CLASSPATH), "nothing embedded");
        Thread.sleep(200);
        assertTrue(framework.getBundleContext().getServiceReferences(HypervisorAttachService.class, null).isEmpty());
    }

    @Test
    @Order(2)
    void reportsAConfigurationWithoutTrustByItsKey() throws Exception {
        configure("bad", "vcenter.url", "https://127.0.0.1:1/sdk", "vcenter.user", "u", ".vcenter.password", "Secret-in-config-1",
                "datacenter", "DC0", "cluster", "DC0_C0");
        long deadline = System.currentTimeMillis() + 10_000;
        while (rejections.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, rejections.size(), rejections.toString());
        assertTrue(rejections.get(0).startsWith("ATTACH_SERVICE org.spindle.hyper.vmware vmware: tls.fingerprint.sha256: "),
                rejections.get(0));
        assertFalse(rejections.get(0).contains("Secret-in-config-1"));
        delete("bad");
    }

    @Test
    @Order(3)
    void registersWithTheHostsVcenterNamesAttachesAndGoesAwayWithItsConfiguration() throws Exception {
        TgtLun.requireTgt();
        Path dir = Files.createDirectories(Path.of("target", "bundle-it").toAbsolutePath());
        try (Vcsim vcsim = Vcsim.start(dir, "iqn.1998-01.com.vmware:bundleit");
             TgtLun lun = TgtLun.create(dir, 47140, "bundle-it", 96L << 20, "vmwbundleit", "bundle-secret-123")) {
            configure("cluster1", "vcenter.url", vcsim.url().toString(), "vcenter.user", Vcsim.USER,
                    ".vcenter.password", Vcsim.PASSWORD.reveal(), "tls.fingerprint.sha256", vcsim.fingerprint(),
                    "datacenter", "DC0", "cluster", "DC0_C0", "name", "cluster1", "storage.zone", "zone1",
                    "structures", new String[] {"LocalDS_0"}, "refresh.seconds", 1);
            ServiceReference<HypervisorAttachService> ref = await("(hypervisor.service=cluster1)");
            assertEquals("vmware", ref.getProperty("hypervisor.type"));
            assertEquals("DC0_C0", ref.getProperty("hypervisor.cluster"));
            assertArrayEquals(new String[] {"DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2"}, (String[]) ref.getProperty("hypervisor.hosts"));
            String[] initiators = (String[]) ref.getProperty("hypervisor.initiators");
            assertEquals(3, initiators.length);
            for (String iqn : initiators) {
                assertTrue(iqn.startsWith("iqn.1998-01.com.vmware:bundleit-dc0-c0-h"), iqn);
            }
            assertArrayEquals(new String[] {"IOPS", "TOTAL", "WEIGHT"}, (String[]) ref.getProperty("hypervisor.limits"));
            assertArrayEquals(new String[] {"iscsi", "file"}, (String[]) ref.getProperty("storage.protocols"));
            assertArrayEquals(new String[] {"LocalDS_0"}, (String[]) ref.getProperty("hypervisor.structures"));
            assertArrayEquals(new String[] {HypervisorAttachService.class.getName(), StaticDisks.class.getName()},
                    (String[]) ref.getProperty(Constants.OBJECTCLASS), "with datastores the same service is also a StaticDisks");
            assertEquals("zone1", ref.getProperty("storage.zone"));
            for (String key : ref.getPropertyKeys()) {
                assertFalse(String.valueOf(ref.getProperty(key)).contains(Vcsim.PASSWORD.reveal()), key);
                assertFalse(key.startsWith("."), key);
            }

            HypervisorAttachService service = framework.getBundleContext().getService(ref);
            try {
                VmInfo vm = service.findVm("DC0_C0_RP0_VM0").orElseThrow();
                UUID id = UUID.randomUUID();
                Target target = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null, lun.chap);
                IoLimits limits = new IoLimits(Limit.NONE, Limit.NONE, Limit.of(640), Limit.NONE, Limit.NONE, Limit.NONE, 500);
                Attachment a = service.attach(new AttachRequest(id, "bundle-it", lun.bytes, vm, target, true, limits));
                assertEquals(VolumeLayout.vmdkPath(id), a.device());
                assertEquals(vm.id(), a.vmId());
                assertEquals(limits, service.limits(a), "the limits read back through the service");
                service.changeLimits(a, new IoLimits(Limit.NONE, Limit.NONE, Limit.of(1280), Limit.NONE, Limit.NONE, Limit.NONE));
                assertEquals(Limit.of(1280), service.limits(a).totalIops());
                assertEquals(Optional.of(a), service.findAttachment(id));
                // counters from vCenter's performance manager, kept in the bundle's data area (none yet: nothing sampled)
                assertEquals(0, service.diskStats(a).writeOps());

                // the disk gone from its datastore (what an attach given up leaves): the datastore is in hypervisor.drift
                // with no VM from the second refresh on, every other property as before; the core's detach of no VM
                // removes it, and the line goes
                Map<String, Object> before = propertiesBut(ref, AttachProperties.DRIFT);
                assertArrayEquals(new String[0], (String[]) ref.getProperty(AttachProperties.DRIFT));
                try (SoapVSphere client = vcsim.vsphere()) {
                    VSphere.Vm v = client.vms().stream().filter(x -> x.instanceUuid().equals(vm.id())).findFirst().orElseThrow();
                    client.removeDisk(v, client.disks(v).stream().filter(d -> d.fileName().equals(a.device())).findFirst().orElseThrow());
                }
                String[] leftover = {id + " - leftover: datastore " + VolumeLayout.datastoreName(id) + " has no disk: an attach that"
                        + " was given up made it; a detach of the volume removes it"};
                awaitDrift(ref, leftover);
                assertEquals(before, propertiesBut(ref, AttachProperties.DRIFT), "the other properties stay as they were");
                service.detach(new Attachment(id, AttachProperties.NO_VM, "", null, "", null, true), target.withoutChap());
                awaitDrift(ref);
                assertEquals(before, propertiesBut(ref, AttachProperties.DRIFT));
                service.detach(a, target.withoutChap());
                assertEquals(Optional.empty(), service.findAttachment(id));

                // a host joins the cluster without a software iSCSI adapter: the service names it within a refresh,
                // offers no initiator for it, and refuses to attach rather than leave the volume off one host
                try (VimConnection vc = new VimConnection(vcsim.url(), VimTrust.pinned(vcsim.fingerprint()), Vcsim.USER,
                        Vcsim.PASSWORD, Duration.ofSeconds(10))) {
                    MoRef clusterRef = Xml.moRef(vc.callForValue("FindByInventoryPath", vc.content().searchIndex(),
                            Xml.value("inventoryPath", "DC0/host/DC0_C0")).orElseThrow());
                    MoRef task = Xml.moRef(vc.callForValue("AddHost_Task", clusterRef,
                            Xml.el("spec").add("hostName", "joined.example.org").add("force", true), Xml.value("asConnected", true))
                            .orElseThrow());
                    new Properties(vc).await(task, Duration.ofSeconds(10));
                }
                long deadline = System.currentTimeMillis() + 15_000;
                while (((String[]) ref.getProperty("hypervisor.hosts")).length != 4 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertArrayEquals(new String[] {"DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2", "joined.example.org"},
                        (String[]) ref.getProperty("hypervisor.hosts"));
                assertEquals(3, ((String[]) ref.getProperty("hypervisor.initiators")).length);
                StorageException refused = assertThrows(StorageException.class,
                        () -> service.attach(new AttachRequest(id, "bundle-it", lun.bytes, vm, target, true, limits)));
                assertTrue(refused.getMessage().contains("joined.example.org") && refused.getMessage().contains("software iSCSI"),
                        refused.getMessage());
            } finally {
                framework.getBundleContext().ungetService(ref);
            }

            delete("cluster1");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!framework.getBundleContext().getServiceReferences(HypervisorAttachService.class, "(hypervisor.service=cluster1)")
                    .isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(framework.getBundleContext().getServiceReferences(HypervisorAttachService.class, "(hypervisor.service=cluster1)")
                    .isEmpty(), "the service goes with its configuration");
        }
    }

    /** The service's properties but {@code left}, arrays as lists (to compare them). */
    static Map<String, Object> propertiesBut(ServiceReference<?> ref, String left) {
        Map<String, Object> out = new java.util.TreeMap<>();
        for (String key : ref.getPropertyKeys()) {
            Object v = ref.getProperty(key);
            if (!key.equals(left)) {
                out.put(key, v instanceof String[] a ? List.of(a) : v);
            }
        }
        return out;
    }

    static void awaitDrift(ServiceReference<?> ref, String... lines) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (!java.util.Arrays.equals(lines, (String[]) ref.getProperty(AttachProperties.DRIFT))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertArrayEquals(lines, (String[]) ref.getProperty(AttachProperties.DRIFT));
    }

    ServiceReference<HypervisorAttachService> await(String filter) throws Exception {
        ServiceTracker<HypervisorAttachService, HypervisorAttachService> t = new ServiceTracker<>(framework.getBundleContext(),
                framework.getBundleContext().createFilter("(&(objectClass=" + HypervisorAttachService.class.getName() + ")"
                        + filter + ")"), null);
        t.open();
        try {
            assertNotNull(t.waitForService(20_000), "no HypervisorAttachService " + filter);
            return t.getServiceReference();
        } finally {
            t.close();
        }
    }

    private Object configuration(String name) throws Exception {
        BundleContext ctx = framework.getBundleContext();
        ServiceReference<?> ref = ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        assertNotNull(ref, "Config Admin runs");
        Object ca = ctx.getService(ref);
        return ca.getClass().getMethod("getFactoryConfiguration", String.class, String.class, String.class)
                .invoke(ca, VmwareAttachService.FACTORY_PID, name, "?");
    }

    /** A factory configuration through Config Admin (reflectively: its API is the Config Admin bundle's). */
    void configure(String name, Object... keyValues) throws Exception {
        Object configuration = configuration(name);
        Hashtable<String, Object> p = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        Method update = configuration.getClass().getMethod("update", java.util.Dictionary.class);
        update.setAccessible(true);
        update.invoke(configuration, p);
    }

    void delete(String name) throws Exception {
        Object configuration = configuration(name);
        Method delete = configuration.getClass().getMethod("delete");
        delete.setAccessible(true);
        delete.invoke(configuration);
    }
}
