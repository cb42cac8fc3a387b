package org.spindle.itest.attach.internal;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link TestAttachConfig} values as DS makes them from a configuration: the given keys (in the
 * annotation's method names, {@code hypervisor_hosts}), the defaults for the others.
 */
final class Configs {
    private Configs() {
    }

    static TestAttachConfig config(Object... keysAndValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return (TestAttachConfig) Proxy.newProxyInstance(TestAttachConfig.class.getClassLoader(),
                new Class<?>[] {TestAttachConfig.class}, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if (method.getName().equals("toString")) {
                        return "TestAttachConfig" + values;
                    }
                    throw new IllegalStateException("no value for " + method.getName());
                });
    }

    static String[] strings(String... values) {
        return values;
    }
}
