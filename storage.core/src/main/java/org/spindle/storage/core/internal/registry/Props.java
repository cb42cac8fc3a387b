package org.spindle.storage.core.internal.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.ServiceReference;

/** Reads service properties, which may arrive as String, String[] or Collection. */
final class Props {
    private Props() {
    }

    static Map<String, Object> of(ServiceReference<?> ref) {
        Map<String, Object> props = new HashMap<>();
        for (String key : ref.getPropertyKeys()) {
            props.put(key, ref.getProperty(key));
        }
        return Map.copyOf(props);
    }

    static String string(Map<String, ?> props, String key) {
        Object v = props.get(key);
        if (v == null) {
            return null;
        }
        List<String> all = strings(props, key);
        return all.isEmpty() ? null : all.get(0);
    }

    static List<String> strings(Map<String, ?> props, String key) {
        Object v = props.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof String s) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        } else if (v instanceof String[] a) {
            for (String s : a) {
                if (s != null && !s.isBlank()) {
                    out.add(s.trim());
                }
            }
        } else if (v instanceof Collection<?> c) {
            c.forEach(o -> out.add(String.valueOf(o).trim()));
        } else if (v != null) {
            out.add(String.valueOf(v));
        }
        return List.copyOf(out);
    }

    static String bundle(ServiceReference<?> ref) {
        return ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName();
    }
}
