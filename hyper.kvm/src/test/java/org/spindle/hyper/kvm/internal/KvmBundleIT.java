package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
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
import org.spindle.storage.api.Chap;
import org.spindle.storage.api.Portal;
import org.spindle.storage.api.Secret;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.HypervisorLimit;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.attach.VmInfo;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.test.support.PlainFramework;
import org.spindle.test.support.Rejections;

/**
 * The built bundle in a plain Felix framework with SCR and Config Admin: it resolves with the embedded libvirt-java
 * and JNA, registers one service per factory configuration, reports a bad one, and (with libvirtd and tgtd) loads
 * JNA's native library and libvirt from inside the bundle: a VM lookup, and an attach whose limits go through the
 * JNA-bound virDomainSetBlockIoTune.
 *
 * <p>The Spindle API and slf4j come from the test class path through the system bundle, so this test and the bundle
 * share their classes; the core's {@code osgi.implementation} capability is declared by the system bundle.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KvmBundleIT {
    PlainFramework osgi;
    Framework framework;
    Bundle kvm;
    final Rejections reporter = new Rejections();
    final List<String> rejections = reporter.lines();

    @BeforeAll
    void startFramework() throws Exception {
        osgi = PlainFramework.start(new org.apache.felix.framework.FrameworkFactory()::newFramework,
                PlainFramework.exportsOf(Target.class, "org.slf4j;version=1.7.36"),
                "osgi.implementation;osgi.implementation=spindle.storage;version:Version=1.0.0",
                reporter::registerIn,
                Path.of(System.getProperty("kvm.it.bundles", "target/it-bundles")),
                Path.of(System.getProperty("kvm.bundle", "target/org.spindle.hyper.kvm-0.1.0-SNAPSHOT.jar")));
        framework = osgi.framework();
        kvm = osgi.bundle();
    }

    @AfterAll
    void stopFramework() throws Exception {
        if (osgi != null) {
            osgi.close();
        }
    }

    @Test
    @Order(1)
    void resolvesWithEmbeddedLibvirtAndJna() {
        assertEquals(Bundle.ACTIVE, kvm.getState(), "the bundle resolved and started");
        String imports = kvm.getHeaders().get(Constants.IMPORT_PACKAGE);
        assertFalse(imports.contains("com.sun.jna"), imports);
        assertFalse(imports.contains("org.libvirt"), imports);
        assertEquals(".,lib/libvirt.jar,lib/jna.jar", kvm.getHeaders().get(Constants.BUNDLE_CLASSPATH));
        assertEquals(null, kvm.getHeaders().get(Constants.EXPORT_PACKAGE));
    }

    @Test
    @Order(2)
    void registersOneServicePerConfiguration() throws Exception {
        configure("host-a", "initiator.iqn", "iqn.2024-01.org.spindle.test:felix-a", "structures", new String[] {"images"},
                "storage.zone", "zone1");
        ServiceReference<HypervisorAttachService> ref = await("(hypervisor.service=host-a)");
        assertEquals("kvm", ref.getProperty("hypervisor.type"));
        assertArrayEquals(new String[] {"host-a"}, (String[]) ref.getProperty("hypervisor.hosts"));
        assertEquals("zone1", ref.getProperty("storage.zone"));
        assertArrayEquals(new String[] {"iqn.2024-01.org.spindle.test:felix-a"}, (String[]) ref.getProperty("hypervisor.initiators"));
        assertArrayEquals(new String[] {"iscsi", "file"}, (String[]) ref.getProperty("storage.protocols"));
        assertArrayEquals(new String[] {"images"}, (String[]) ref.getProperty("hypervisor.structures"));
        // what DS makes of @HypervisorLimits: the constants' names, every one of them known to the API, and no WEIGHT
        String[] limits = (String[]) ref.getProperty("hypervisor.limits");
        assertArrayEquals(new String[] {"IOPS", "BPS", "READ_WRITE", "TOTAL", "BURST", "BURST_LENGTH"}, limits);
        for (String l : limits) {
            assertTrue(HypervisorLimit.fromToken(l).isPresent(), l);
        }
        assertEquals(kvm, ref.getBundle());
        // with structures the same service object is also a StaticDisks
        assertArrayEquals(new String[] {HypervisorAttachService.class.getName(), StaticDisks.class.getName()},
                (String[]) ref.getProperty(Constants.OBJECTCLASS));
    }

    @Test
    @Order(3)
    void reportsABadConfiguration() throws Exception {
        configure("host-bad", "initiator.iqn", "IQN-NOT-VALID");
        long deadline = System.currentTimeMillis() + 10_000;
        while (rejections.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, rejections.size(), rejections.toString());
        assertTrue(rejections.get(0).startsWith("ATTACH_SERVICE org.spindle.hyper.kvm kvm: initiator.iqn: "), rejections.get(0));
        assertTrue(framework.getBundleContext().getServiceReferences(HypervisorAttachService.class, "(hypervisor.service=host-bad)")
                .isEmpty());
    }

    @Test
    @Order(4)
    void talksToLibvirtFromInsideTheBundle() throws Exception {
        Peers.require();
        configure("host-live", "initiator.iqn", Configs.INITIATOR);
        ServiceReference<HypervisorAttachService> ref = await("(hypervisor.service=host-live)");
        assertArrayEquals(new String[] {HypervisorAttachService.class.getName()}, (String[]) ref.getProperty(Constants.OBJECTCLASS),
                "no structures, no StaticDisks");
        HypervisorAttachService service = framework.getBundleContext().getService(ref);
        UUID id = UUID.randomUUID();
        try (TestVm vm = TestVm.define("spindle-test-felix", true);
             TgtTarget lun = TgtTarget.create("iqn.2010-01.com.solidfire:felix-" + id.toString().substring(0, 8) + ".1",
                     16L << 20, "felix" + id.toString().substring(0, 6), "felixsecret" + id.toString().substring(0, 4))) {
            VmInfo info = service.findVm(vm.name).orElseThrow();
            assertEquals(new VmInfo(vm.uuid(), vm.name, "host-live", true), info);
            assertEquals(info, service.findVm(vm.uuid()).orElseThrow());
            Target target = new Target("iscsi", List.of(Portal.iscsi("127.0.0.1")), lun.iqn, 1, null,
                    new Chap(lun.user, Secret.of(lun.password)));
            IoLimits limits = new IoLimits(Limit.of(250), Limit.of(150), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);
            Attachment a = service.attach(new AttachRequest(id, "felix", 16L << 20, info, target, true, limits));
            assertEquals(vm.uuid(), a.vmId());
            assertTrue(KvmIscsiAttachTest.diskElement(vm.liveXml(), DiskXml.alias(id)).contains("<read_iops_sec>250</read_iops_sec>"));
            service.changeLimits(a, new IoLimits(Limit.NONE, Limit.NONE, Limit.of(999), Limit.NONE, Limit.NONE, Limit.NONE));
            String tune = Cmd.virsh("blkdeviotune", vm.name, a.device());
            assertTrue(tune.matches("(?s).*total_iops_sec\\s*:\\s*999\\b.*"), tune);
            assertNotNull(service.diskStats(a));
            assertEquals(a, service.updateHosts(a, target));
            service.detach(a, target.withoutChap());
            assertFalse(vm.liveXml().contains(DiskXml.alias(id)));
        } finally {
            framework.getBundleContext().ungetService(ref);
        }
    }

    ServiceReference<HypervisorAttachService> await(String filter) throws Exception {
        ServiceTracker<HypervisorAttachService, HypervisorAttachService> t = new ServiceTracker<>(framework.getBundleContext(),
                framework.getBundleContext().createFilter("(&(objectClass=" + HypervisorAttachService.class.getName() + ")"
                        + filter + ")"), null);
        t.open();
        try {
            assertNotNull(t.waitForService(10_000), "no HypervisorAttachService " + filter);
            return t.getServiceReference();
        } finally {
            t.close();
        }
    }

    /** A factory configuration through Config Admin (reflectively: its API is the Config Admin bundle's). */
    void configure(String host, Object... keyValues) throws Exception {
        BundleContext ctx = framework.getBundleContext();
        ServiceReference<?> ref = ctx.getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        assertNotNull(ref, "Config Admin runs");
        Object ca = ctx.getService(ref);
        Object configuration = ca.getClass().getMethod("getFactoryConfiguration", String.class, String.class, String.class)
                .invoke(ca, KvmAttachService.FACTORY_PID, host, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("hypervisor.host", host);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        java.lang.reflect.Method update = configuration.getClass().getMethod("update", java.util.Dictionary.class);
        update.setAccessible(true);
        update.invoke(configuration, p);
    }
}
