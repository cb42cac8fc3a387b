package org.spindle.xen.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The pool's database: every object by reference, and the back references xapi derives from them
 * ({@code SR.PBDs}, {@code SR.VDIs}, {@code host.PBDs}, {@code host.resident_VMs}, {@code VM.VBDs},
 * {@code VDI.VBDs}). Not thread-safe: the simulator serialises calls.
 */
final class XenModel {
    static final String NULL_REF = "OpaqueRef:NULL";
    private final Map<String, XObject> objects = new LinkedHashMap<>();

    XObject create(String cls) {
        XObject o = new XObject(cls, "OpaqueRef:" + UUID.randomUUID());
        o.fields.put("uuid", UUID.randomUUID().toString());
        objects.put(o.ref, o);
        return o;
    }

    /** The object {@code ref} of class {@code cls}, or HANDLE_INVALID. */
    XObject get(String cls, String ref) {
        XObject o = objects.get(ref);
        if (o == null || !o.cls.equals(cls)) {
            throw XapiError.handleInvalid(cls, ref);
        }
        return o;
    }

    Optional<XObject> find(String ref) {
        return Optional.ofNullable(objects.get(ref));
    }

    void remove(XObject o) {
        objects.remove(o.ref);
    }

    List<XObject> all(String cls) {
        return all(cls, o -> true);
    }

    List<XObject> all(String cls, Predicate<XObject> filter) {
        List<XObject> out = new ArrayList<>();
        for (XObject o : objects.values()) {
            if (o.cls.equals(cls) && filter.test(o)) {
                out.add(o);
            }
        }
        return out;
    }

    /** The object of class {@code cls} with {@code uuid}, or UUID_INVALID as xapi answers get_by_uuid. */
    XObject byUuid(String cls, String uuid) {
        for (XObject o : objects.values()) {
            if (o.cls.equals(cls) && uuid.equals(o.uuid())) {
                return o;
            }
        }
        throw new XapiError("UUID_INVALID", cls, uuid);
    }

    List<String> refs(String cls, String field, String value) {
        List<String> out = new ArrayList<>();
        for (XObject o : all(cls, x -> value.equals(x.fields.get(field)))) {
            out.add(o.ref);
        }
        return out;
    }

    /** The record as {@code get_record} returns it: the stored fields plus the derived back references. */
    Map<String, Object> record(XObject o) {
        Map<String, Object> r = new LinkedHashMap<>(o.fields);
        switch (o.cls) {
            case "SR" -> {
                r.put("PBDs", refs("PBD", "SR", o.ref));
                r.put("VDIs", refs("VDI", "SR", o.ref));
            }
            case "host" -> {
                r.put("PBDs", refs("PBD", "host", o.ref));
                r.put("resident_VMs", refs("VM", "resident_on", o.ref));
            }
            case "VM" -> r.put("VBDs", refs("VBD", "VM", o.ref));
            case "VDI" -> r.put("VBDs", refs("VBD", "VDI", o.ref));
            default -> {
            }
        }
        return r;
    }
}
