package org.spindle.hyper.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.spindle.storage.api.runtime.RejectionReporter;

/**
 * Fifty host configurations (the second libvirtd over qemu+tls:// under fifty names), each its own attach service as DS
 * would activate them: all register, each finds the VM by itself (a lookup routed to one host asks that host only),
 * all are taken away with the reason when libvirtd stops, and all register again when it is back, without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvmManyHostsTest {
    static final int HOSTS = 50;

    RemotePeers remote;
    LibvirtEvents events;
    TestVm vm;
    final List<KvmAttachService> services = new ArrayList<>();
    /** Registered services now, by host name. */
    final Set<String> registered = ConcurrentHashMap.newKeySet();
    final Map<String, String> unavailable = new ConcurrentHashMap<>();

    @BeforeAll
    void setUp() {
        remote = RemotePeers.require();
        events = new LibvirtEvents();
        vm = TestVm.define(remote.virshUri(), "spindle-test-many-" + UUID.randomUUID().toString().substring(0, 8), false);
        for (int i = 0; i < HOSTS; i++) {
            String host = String.format("many%02d", i);
            List<Object> config = new ArrayList<>(List.of(remote.tlsConfig(host)));
            config.addAll(List.of("probe.interval.seconds", 2, "connect.timeout.seconds", 5, "call.timeout.seconds", 20,
                    "keepalive.interval.seconds", 2, "keepalive.count", 2));
            Map<String, Object> component = new HashMap<>(KvmAttachServiceTest.COMPONENT);
            component.put("service.pid", "org.spindle.hyper.kvm~" + host);
            services.add(new KvmAttachService(context(host), Configs.config(config.toArray()), component, events, reporter(host)));
        }
    }

    @AfterAll
    void tearDown() {
        services.forEach(KvmAttachService::deactivate);
        if (vm != null) {
            vm.close();
        }
        if (events != null) {
            events.close();
        }
    }

    @Test
    void fiftyHostsRegisterRouteGoAndComeBackWithLibvirtd() throws Exception {
        await("all " + HOSTS + " registered", s -> registered.size() == HOSTS);
        for (KvmAttachService s : services) {
            assertEquals(vm.uuid(), s.findVm(vm.name).orElseThrow().id());
        }

        remote.script("daemon-stop").ok();
        try {
            await("all unavailable", s -> registered.isEmpty() && unavailable.size() == HOSTS);
            assertTrue(unavailable.values().stream().allMatch(r -> r.startsWith("KVM host many") && r.contains(" since ")
                    && r.contains(remote.tlsUri())), unavailable.toString());
        } finally {
            remote.script("daemon-start").ok();
        }
        await("all " + HOSTS + " registered again", s -> registered.size() == HOSTS && unavailable.isEmpty());
        assertEquals(vm.uuid(), services.get(HOSTS - 1).findVm(vm.uuid()).orElseThrow().id());
    }

    void await(String what, Predicate<Void> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!done.test(null)) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + ": registered " + registered.size()
                    + ", unavailable " + unavailable.size());
            Thread.sleep(200);
        }
    }

    RejectionReporter reporter(String host) {
        return new RejectionReporter() {
            @Override
            public void rejected(Kind kind, String pid, String bundle, String type, String reason) {
                unavailable.put(host, "REJECTED instead of unavailable: " + reason);
            }

            @Override
            public void unavailable(Kind kind, String pid, String bundle, String type, String reason) {
                unavailable.put(host, reason);
            }

            @Override
            public void cleared(String pid) {
                unavailable.remove(host);
            }
        };
    }

    BundleContext context(String host) {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, m, args) -> m.getName().equals("getSymbolicName") ? "org.spindle.hyper.kvm" : null);
        ServiceRegistration<?> reg = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, m, args) -> {
                    if (m.getName().equals("unregister")) {
                        registered.remove(host);
                    }
                    return null;
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getBundle" -> bundle;
                    case "registerService" -> {
                        registered.add(host);
                        yield reg;
                    }
                    default -> null;
                });
    }
}
