package org.spindle.hyper.kvm.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** {@link KvmHostConfig} instances for tests, as DS would make them from configuration properties. */
final class Configs {
    static final String INITIATOR = "iqn.2024-01.org.spindle.test:kvm-host1";

    private Configs() {
    }

    /** The properties of a valid configuration for the local libvirtd, changed by {@code keyValues}. */
    static Map<String, Object> properties(Object... keyValues) {
        Map<String, Object> p = new HashMap<>();
        p.put("hypervisor.host", "host1");
        p.put("initiator.iqn", INITIATOR);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    /** A valid configuration for the local libvirtd, changed by {@code keyValues} (property names as in the .cfg). */
    static KvmHostConfig config(Object... keyValues) {
        Map<String, Object> p = properties(keyValues);
        return (KvmHostConfig) Proxy.newProxyInstance(KvmHostConfig.class.getClassLoader(), new Class<?>[] {KvmHostConfig.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    if (p.containsKey(key)) {
                        return p.get(key);
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> KvmHostConfig.class;
                        case "toString" -> "KvmHostConfig" + p;
                        case "hashCode" -> p.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> method.getDefaultValue();
                    };
                });
    }

    static HostSettings settings(Object... keyValues) {
        return HostSettings.of(config(keyValues));
    }
}
