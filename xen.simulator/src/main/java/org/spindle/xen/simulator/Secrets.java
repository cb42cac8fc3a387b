package org.spindle.xen.simulator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Passwords of a {@code device_config}, kept as xapi keeps them: a key ending in {@code password} is moved into a new
 * {@code secret} object and replaced by {@code <key>_secret = <secret uuid>}; a {@code …password_secret} a caller names
 * is copied into a secret of the PBD's own (xapi duplicates them, so each PBD owns its secrets).
 */
final class Secrets {
    private final XenModel model;

    Secrets(XenModel model) {
        this.model = model;
    }

    /** Every secret's value by its uuid. */
    Map<String, String> values() {
        Map<String, String> s = new HashMap<>();
        model.all("secret").forEach(o -> s.put(o.uuid(), o.str("value")));
        return s;
    }

    /** {@code dc} as a PBD stores it: each password moved into a new secret, each named secret copied. */
    Map<String, String> hide(Map<String, String> dc) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : dc.entrySet()) {
            if (e.getKey().endsWith("password")) {
                XObject s = model.create("secret");
                s.fields.put("value", e.getValue());
                s.fields.put("other_config", new LinkedHashMap<String, String>());
                out.put(e.getKey() + "_secret", s.uuid());
            } else if (e.getKey().endsWith("password_secret")) {
                // each PBD gets its own copy of a secret it names, as xapi duplicates them
                String value = values().get(e.getValue());
                if (value == null) {
                    throw new XapiError("UUID_INVALID", "secret", e.getValue());
                }
                XObject s = model.create("secret");
                s.fields.put("value", value);
                s.fields.put("other_config", new LinkedHashMap<String, String>());
                out.put(e.getKey(), s.uuid());
            } else {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Destroys the secrets a stored {@code dc} names (its PBD is destroyed). */
    void drop(Map<String, String> dc) {
        dc.forEach((k, v) -> {
            if (k.endsWith("_secret")) {
                model.all("secret", o -> v.equals(o.uuid())).forEach(model::remove);
            }
        });
    }
}
