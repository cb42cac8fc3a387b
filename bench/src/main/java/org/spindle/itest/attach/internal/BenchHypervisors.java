package org.spindle.itest.attach.internal;

import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.ComponentContext;
import org.spindle.itest.attach.probe.TestHypervisor;
import org.spindle.storage.api.attach.HypervisorAttachService;

/**
 * Test hypervisors for the benchmarks, activated through {@link TestAttachService}'s own constructor (as Declarative
 * Services would, from a configuration) in just enough of a framework to catch what it registers. A class of the test
 * hypervisor's private package, on the benchmarks' plain class path only.
 */
public final class BenchHypervisors {
    private BenchHypervisors() {
    }

    /** What the component registered: the service (also a {@link TestHypervisor}) and its service properties. */
    public record Registered(HypervisorAttachService service, TestHypervisor probe, Map<String, Object> properties) {
    }

    /**
     * One host {@code host} in {@code zone} running {@code vms}, enforcing every kind of limit, whose every call first
     * waits {@code latencyMillis} ({@code call.latency.ms}).
     */
    public static Registered host(String host, String zone, List<String> vms, long latencyMillis) {
        Map<String, Object> values = new HashMap<>();
        values.put("hypervisor_hosts", new String[] {host});
        values.put("storage_zone", zone);
        values.put("vms", vms.toArray(String[]::new));
        values.put("hypervisor_limits", new String[] {"iops", "bps", "read-write", "total", "burst", "burst-length"});
        values.put("call_latency_ms", latencyMillis);
        AtomicReference<Registered> registered = new AtomicReference<>();
        new TestAttachService(config(values), component(registered), Map.of("service.pid", "org.spindle.itest.attach~" + host));
        return registered.get();
    }

    private static TestAttachConfig config(Map<String, Object> values) {
        return (TestAttachConfig) Proxy.newProxyInstance(TestAttachConfig.class.getClassLoader(), new Class<?>[] {TestAttachConfig.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue());
    }

    private static ComponentContext component(AtomicReference<Registered> registered) {
        Bundle bundle = proxy(Bundle.class, (name, args) -> name.equals("getSymbolicName") ? "org.spindle.itest.attach" : null);
        BundleContext context = proxy(BundleContext.class, (name, args) -> switch (name) {
            case "getBundle" -> bundle;
            case "registerService" -> {
                registered.set(new Registered((HypervisorAttachService) args[1], (TestHypervisor) args[1], map((Dictionary<?, ?>) args[2])));
                yield proxy(ServiceRegistration.class, (n, a) -> null);
            }
            default -> throw new UnsupportedOperationException(name);
        });
        return proxy(ComponentContext.class, (name, args) -> switch (name) {
            case "getBundleContext" -> context;
            case "locateService" -> null;
            default -> throw new UnsupportedOperationException(name);
        });
    }

    private static Map<String, Object> map(Dictionary<?, ?> d) {
        Map<String, Object> m = new HashMap<>();
        for (Object k : Collections.list(d.keys())) {
            m.put((String) k, d.get(k));
        }
        return m;
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(BenchHypervisors.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> method.getName().equals("toString") ? type.getSimpleName() : answer.answer(method.getName(), args));
    }
}
