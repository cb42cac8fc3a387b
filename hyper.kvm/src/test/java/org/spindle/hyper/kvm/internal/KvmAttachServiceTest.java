package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.StorageException.Reason;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.HypervisorAttachService;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.runtime.RejectionReporter;

/** The component without a framework: what it registers, and what it reports for a bad configuration. */
class KvmAttachServiceTest {
    /** The component properties DS hands over: the annotated ones plus the configuration. */
    static final Map<String, Object> COMPONENT = Map.of("service.pid", "org.spindle.hyper.kvm~host1",
            "hypervisor.type", "kvm",
            "hypervisor.limits", new String[] {"IOPS", "BPS", "READ_WRITE", "TOTAL", "BURST", "BURST_LENGTH"});

    final List<Dictionary<String, ?>> registered = new ArrayList<>();
    final List<List<String>> interfaces = new ArrayList<>();
    final List<String> unregistered = new ArrayList<>();
    final List<String> reports = new ArrayList<>();
    final List<Dictionary<String, ?>> modified = new ArrayList<>();

    @Test
    void registersWithComputedProperties() {
        KvmAttachService s = new KvmAttachService(context(), Configs.config("storage.zone", "z1", "structures",
                new String[] {"images"}), COMPONENT, null, reporter());
        assertEquals(1, registered.size());
        Dictionary<String, ?> p = registered.get(0);
        assertEquals("kvm", p.get("hypervisor.type"));
        assertEquals("host1", p.get("hypervisor.service"));
        assertArrayEquals(new String[] {"host1"}, (String[]) p.get("hypervisor.hosts"));
        assertNull(p.get("hypervisor.host"), "the single-host property of the old contract is gone");
        assertNull(p.get("hypervisor.cluster"));
        assertEquals("z1", p.get("storage.zone"));
        assertArrayEquals(new String[] {Configs.INITIATOR}, (String[]) p.get("hypervisor.initiators"));
        assertArrayEquals(new String[] {"iscsi", "file"}, (String[]) p.get("storage.protocols"));
        assertArrayEquals(new String[] {"images"}, (String[]) p.get("hypervisor.structures"));
        assertArrayEquals(new String[] {"IOPS", "BPS", "READ_WRITE", "TOTAL", "BURST", "BURST_LENGTH"},
                (String[]) p.get("hypervisor.limits"));
        // with structures, the same object is a StaticDisks too
        assertEquals(List.of(List.of(HypervisorAttachService.class.getName(), StaticDisks.class.getName())), interfaces);
        assertEquals(List.of("cleared org.spindle.hyper.kvm~host1"), reports);
        s.deactivate();
        assertEquals(List.of("unregistered"), unregistered);
    }

    @Test
    void withoutStructuresOnlyIscsi() {
        new KvmAttachService(context(), Configs.config(), COMPONENT, null, null);
        Dictionary<String, ?> p = registered.get(0);
        assertArrayEquals(new String[] {"iscsi"}, (String[]) p.get("storage.protocols"));
        assertNull(p.get("hypervisor.structures"));
        assertNull(p.get("storage.zone"));
        assertEquals(List.of(List.of(HypervisorAttachService.class.getName())), interfaces, "no structures, no StaticDisks");
    }

    @Test
    void invalidConfigurationIsReportedAndRegistersNothing() {
        KvmAttachService s = new KvmAttachService(context(), Configs.config("initiator.iqn", "not-an-iqn"), COMPONENT, null, reporter());
        assertEquals(List.of(), registered);
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).startsWith("rejected ATTACH_SERVICE org.spindle.hyper.kvm~host1 org.spindle.hyper.kvm kvm "
                + "initiator.iqn: must be an iSCSI name"), reports.get(0));
        StorageException e = assertThrows(StorageException.class, () -> s.findVm("x"));
        assertEquals(Reason.UNAVAILABLE, e.reason());
    }

    @Test
    void anUnreachableHostTakesTheServiceAwayWithTheReasonAndBringsItBack() {
        KvmAttachService s = new KvmAttachService(context(), Configs.config(), COMPONENT, null, reporter());
        assertEquals(1, registered.size());
        reports.clear();
        s.hostUnavailable("libvirt at qemu+tls://h1/system did not answer within 30 s");
        assertEquals(List.of("unregistered"), unregistered);
        assertEquals(1, reports.size(), reports.toString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("unavailable ATTACH_SERVICE org.spindle.hyper.kvm~host1 "
                + "org.spindle.hyper.kvm kvm KVM host host1 since (\\S+): libvirt at qemu\\+tls://h1/system did not answer within 30 s")
                .matcher(reports.get(0));
        assertTrue(m.matches(), reports.get(0));
        java.time.Instant since = java.time.Instant.parse(m.group(1));
        assertTrue(java.time.Duration.between(since, java.time.Instant.now()).getSeconds() < 60, "since when: " + since);
        s.hostUnavailable("again");
        assertEquals(1, unregistered.size(), "unregistered once");
        assertTrue(reports.get(1).endsWith(" since " + since + ": again"), "the same since, the new reason: " + reports.get(1));
        s.hostAvailable();
        assertEquals(2, registered.size(), "registered again, without a restart");
        assertEquals(java.util.Collections.list(registered.get(0).keys()), java.util.Collections.list(registered.get(1).keys()),
                "with the same properties");
        assertEquals("host1", registered.get(1).get("hypervisor.service"));
        assertEquals("cleared org.spindle.hyper.kvm~host1", reports.get(reports.size() - 1));
        s.hostAvailable();
        assertEquals(2, registered.size(), "registered once");
        s.deactivate();
        s.hostAvailable();
        assertEquals(2, registered.size(), "never after deactivation");
    }

    @Test
    void driftIsPublishedAsAServiceProperty() {
        KvmAttachService s = new KvmAttachService(context(), Configs.config(), COMPONENT, null, reporter());
        java.util.UUID volume = java.util.UUID.randomUUID();
        s.driftChanged(List.of(new DriftWatch.Drift(volume, "vm-uuid", "vm1", "vm is no longer defined on host host1",
                java.time.Instant.now())));
        assertEquals(1, modified.size());
        assertArrayEquals(new String[] {volume + " vm-uuid vm is no longer defined on host host1"},
                (String[]) modified.get(0).get(AttachProperties.DRIFT));
        assertEquals("host1", modified.get(0).get("hypervisor.service"), "the other properties stay");
        s.driftChanged(List.of());
        assertNull(modified.get(1).get(AttachProperties.DRIFT), "no drift, no property");
        s.hostUnavailable("x");
        s.driftChanged(List.of(new DriftWatch.Drift(volume, "v", "n", "w", java.time.Instant.now())));
        s.hostAvailable();
        assertArrayEquals(new String[] {volume + " v w"}, (String[]) registered.get(registered.size() - 1).get(AttachProperties.DRIFT),
                "registered again with the drift known meanwhile");
        s.deactivate();
    }

    RejectionReporter reporter() {
        return new RejectionReporter() {
            @Override
            public void rejected(Kind kind, String pid, String bundle, String type, String reason) {
                reports.add("rejected " + kind + " " + pid + " " + bundle + " " + type + " " + reason);
            }

            @Override
            public void unavailable(Kind kind, String pid, String bundle, String type, String reason) {
                reports.add("unavailable " + kind + " " + pid + " " + bundle + " " + type + " " + reason);
            }

            @Override
            public void cleared(String pid) {
                reports.add("cleared " + pid);
            }
        };
    }

    @SuppressWarnings("unchecked")
    BundleContext context() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, m, args) -> m.getName().equals("getSymbolicName") ? "org.spindle.hyper.kvm" : null);
        ServiceRegistration<?> reg = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, m, args) -> {
                    if (m.getName().equals("unregister")) {
                        unregistered.add("unregistered");
                    }
                    if (m.getName().equals("setProperties")) {
                        modified.add((Dictionary<String, ?>) args[0]);
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getBundle" -> bundle;
                    case "registerService" -> {
                        interfaces.add(args[0] instanceof String[] names ? List.of(names) : List.of(String.valueOf(args[0])));
                        registered.add((Dictionary<String, ?>) args[2]);
                        yield reg;
                    }
                    default -> null;
                });
    }
}
