package org.spindle.driver.solidfire.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link SolidFireConfig} over a map, converted the way DS does for the types the config uses. */
final class Configs {
    private Configs() {
    }

    /** DS name mapping: {@code _password} → {@code .password}, {@code a_b} → {@code a.b}, {@code a__b} → {@code a_b}. */
    static String key(String method) {
        return method.replace("__", "\0").replace('_', '.').replace('\0', '_');
    }

    static SolidFireConfig of(Map<String, ?> values) {
        return (SolidFireConfig) Proxy.newProxyInstance(SolidFireConfig.class.getClassLoader(),
                new Class<?>[] {SolidFireConfig.class}, (proxy, m, args) -> {
                    if (m.getDeclaringClass() == Object.class || m.getName().equals("annotationType")) {
                        return switch (m.getName()) {
                            case "annotationType" -> SolidFireConfig.class;
                            case "toString" -> "SolidFireConfig" + values.keySet();
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> throw new UnsupportedOperationException(m.getName());
                        };
                    }
                    Object v = values.get(key(m.getName()));
                    return v == null ? m.getDefaultValue() : convert(m, v);
                });
    }

    private static Object convert(Method m, Object v) {
        Class<?> t = m.getReturnType();
        if (t != String[].class && v instanceof String[] one && one.length == 1) {
            v = one[0];
        }
        String s = String.valueOf(v);
        if (t == String.class) {
            return s;
        }
        if (t == String[].class) {
            return v instanceof String[] a ? a : v instanceof java.util.Collection<?> col
                    ? col.stream().map(String::valueOf).toArray(String[]::new) : new String[] {s};
        }
        if (t == long.class) {
            return Long.parseLong(s.strip());
        }
        if (t == int.class) {
            return Integer.parseInt(s.strip());
        }
        if (t == double.class) {
            return Double.parseDouble(s.strip());
        }
        if (t == boolean.class) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("unsupported type " + t);
    }
}
