package org.spindle.hyper.xen.internal;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.xen.simulator.Hold;

import com.xensource.xenapi.SR;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRs no disk uses, as the attach service publishes them ({@value AttachProperties#DRIFT}, vm id
 * {@value AttachProperties#NO_VM}) from its periodic refresh, and the core's detach that clears them, on the simulated
 * pool of three hosts (real tgt LUN). The service runs as DS makes it, with a recording stand-in for the framework's
 * registry; its refresh runs when the test calls it.
 */
class SrLeftoversTest extends PoolWithLun {
    private static final String[] HOSTS = {"xen1", "xen2", "xen3"};
    private static final String[] IQNS = {XenPeer.IQN1, XenPeer.IQN2, XenPeer.IQN3};
    private Registry registry;
    private XenAttachService service;

    SrLeftoversTest() {
        super("leftover", 96L << 20);
    }

    @BeforeEach
    void start() throws Exception {
        registry = new Registry();
        XenPoolConfig config = Configs.config(Configs.valid(), "xen.url", xen.sim.url(), ".xen.password", xen.sim.password(),
                "tls.fingerprint.sha256", xen.sim.certificateSha256(), "static.srs", new String[] {XenPeer.STATIC_SR},
                "refresh.seconds", 3600);
        service = new XenAttachService(registry.context(), config, Map.of("service.pid", "org.spindle.hyper.xen.leftovers"), null);
        // the first refresh runs at once on the service's own thread and registers; the next is an hour away
        assertTrue(registry.registered.await(30, TimeUnit.SECONDS), "the service registered");
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.deactivate();
        }
    }

    private String[] drift() {
        return (String[]) registry.properties.get(AttachProperties.DRIFT);
    }

    /** Whatever the drift, the hosts and their initiators are published as the pool shows them. */
    private void assertHostsAndInitiators() {
        assertArrayEquals(HOSTS, (String[]) registry.properties.get(AttachProperties.HOSTS));
        assertArrayEquals(IQNS, (String[]) registry.properties.get(AttachProperties.INITIATORS));
        assertEquals("pool1", registry.properties.get(AttachProperties.SERVICE));
    }

    private static Attachment noVm(UUID volume) {
        return new Attachment(volume, AttachProperties.NO_VM, "", null, "", null, true);
    }

    @Test
    void anSrNoDiskUsesIsReportedFromTheSecondRefreshAndADetachOfNoVmForgetsIt() {
        UUID v = UUID.randomUUID();
        // SR, PBDs and VDI made; VBD.create fails and the cleanup is cut at its first call (as a kill would)
        xen.sim.faults().fail("VBD.create", 1, "INTERNAL_ERROR", "boom").fail("VBD.get_all_records", 1, "INTERNAL_ERROR", "cut");
        assertThrows(StorageException.class, () -> service.attach(xen.request(v, "web", lun, IoLimits.NONE)));
        assertEquals(1, xen.count("SR"));
        assertEquals(1, xen.count("VDI"));
        assertEquals(0, xen.count("VBD"));
        String sr = (String) xen.sim.records("SR").get(0).get("uuid");
        // an operator's static SR whose description happens to read as a label, with no VDI: never a leftover
        UUID w = UUID.randomUUID();
        xen.session.call("operator's SR.introduce", c -> SR.introduce(c, UUID.randomUUID().toString(), XenPeer.STATIC_SR,
                SrStructure.label(w), "lvmoiscsi", "user", true, Map.of()));

        service.refresh();
        assertNull(drift(), "seen unused once: could be an attach between its SR and its VBD");
        assertHostsAndInitiators();
        service.refresh();
        String line = v + " - leftover: SR " + sr + " has no disk: an attach that was given up made it; a detach of the volume removes it";
        assertArrayEquals(new String[] {line}, drift());
        assertHostsAndInitiators();
        service.refresh();
        assertArrayEquals(new String[] {line}, drift(), "reported while it stays unused");

        // the core clears it; the reply of SR.forget is lost (it acted): one more pass, and the detach is done
        xen.sim.faults().dropReply("SR.forget", 1);
        service.detach(noVm(v), null);
        assertTrue(xen.sim.calls().contains("SR.forget"));
        assertEquals(1, xen.count("SR"), "only the static SR is left: " + xen.sim.records("SR"));
        assertEquals(XenPeer.STATIC_SR, xen.sim.records("SR").get(0).get("name_label"));
        for (String cls : List.of("PBD", "VDI", "VBD", "secret")) {
            assertEquals(0, xen.count(cls), cls + " left: " + xen.sim.records(cls));
        }
        service.refresh();
        assertNull(drift(), "gone with its SR");
        assertHostsAndInitiators();

        // a detach of no VM for the static SR's "volume" leaves the operator's SR alone, as one for a volume with nothing
        service.detach(noVm(w), null);
        service.detach(noVm(UUID.randomUUID()), null);
        assertEquals(1, xen.count("SR"));
    }

    @Test
    void anAttachUnderWayIsNoLeftoverAndADetachOfNoVmLeavesAnAttachedDiskAlone() throws Exception {
        UUID v = UUID.randomUUID();
        Hold held = xen.sim.faults().hold("VBD.create", Hold.When.BEFORE);
        CompletableFuture<Attachment> attach = CompletableFuture.supplyAsync(() -> service.attach(xen.request(v, "web", lun, IoLimits.NONE)));
        try {
            assertTrue(held.awaitReached(Duration.ofSeconds(60)), "the attach reached VBD.create");
            assertEquals(1, xen.count("SR"));
            assertEquals(0, xen.count("VBD"));
            service.refresh();
            service.refresh();
            assertNull(drift(), "the SR of an attach under way is no leftover");
            assertHostsAndInitiators();
        } finally {
            held.release();
        }
        Attachment a = attach.get(60, TimeUnit.SECONDS);
        service.refresh();
        service.refresh();
        assertNull(drift(), "a disk uses it now");

        // the core's detach of no VM while the volume is attached: nothing moves, and it says which disk uses the SR
        Map<String, List<Map<String, Object>>> before = pool();
        StorageException e = assertThrows(StorageException.class, () -> service.detach(noVm(v), null));
        assertEquals(StorageException.Reason.CONFLICT, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("VBD " + a.device()) && e.getMessage().contains(a.vmId()), e.getMessage());
        assertEquals(before, pool());
        assertEquals(true, xen.sim.records("VBD").get(0).get("currently_attached"));
        assertEquals(Optional.of(a), service.findAttachment(v));
        assertEquals(0, xen.sim.calls().stream().filter(m -> m.startsWith("VBD.unplug") || m.startsWith("VBD.destroy")
                || m.endsWith(".forget") || m.startsWith("PBD.unplug")).count(), xen.sim.calls().toString());

        service.detach(a, null);
        xen.assertEmpty();
    }

    private Map<String, List<Map<String, Object>>> pool() {
        Map<String, List<Map<String, Object>>> m = new HashMap<>();
        for (String cls : List.of("SR", "PBD", "VDI", "VBD", "secret")) {
            m.put(cls, xen.sim.records(cls));
        }
        return m;
    }

    /** The framework's registry as the service uses it: one registration whose properties are kept. */
    static final class Registry {
        final CountDownLatch registered = new CountDownLatch(1);
        volatile Dictionary<String, Object> properties;

        BundleContext context() {
            ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServiceRegistration.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "setProperties" -> {
                            properties = copy(args[0]);
                            yield null;
                        }
                        case "unregister" -> null;
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "registration";
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
            return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                    (proxy, m, args) -> switch (m.getName()) {
                        case "registerService" -> {
                            properties = copy(args[2]);
                            registered.countDown();
                            yield registration;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "context";
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }

        @SuppressWarnings("unchecked")
        private static Dictionary<String, Object> copy(Object d) {
            Dictionary<String, Object> from = (Dictionary<String, Object>) d;
            java.util.Hashtable<String, Object> to = new java.util.Hashtable<>();
            for (String k : Collections.list(from.keys())) {
                to.put(k, from.get(k));
            }
            return to;
        }
    }
}
