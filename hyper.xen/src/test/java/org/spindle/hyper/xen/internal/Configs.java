package org.spindle.hyper.xen.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** {@link XenPoolConfig} instances for tests, as DS makes them from configuration properties. */
final class Configs {
    private Configs() {
    }

    /** A configuration from property names as in the .cfg ({@code xen.url}, {@code .xen.password}…). */
    static XenPoolConfig config(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> p = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return (XenPoolConfig) Proxy.newProxyInstance(XenPoolConfig.class.getClassLoader(), new Class<?>[] {XenPoolConfig.class},
                (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    if (p.containsKey(key)) {
                        return p.get(key);
                    }
                    return switch (method.getName()) {
                        case "annotationType" -> XenPoolConfig.class;
                        case "toString" -> "XenPoolConfig";
                        case "hashCode" -> p.hashCode();
                        case "equals" -> proxy == args[0];
                        default -> method.getDefaultValue();
                    };
                });
    }

    static Map<String, Object> valid() {
        Map<String, Object> p = new HashMap<>();
        p.put("pool.name", "pool1");
        p.put("xen.url", "https://xen-master.example/");
        p.put(".xen.password", "s3cret-pass");
        p.put("tls.fingerprint.sha256", "ab".repeat(32));
        return p;
    }
}
