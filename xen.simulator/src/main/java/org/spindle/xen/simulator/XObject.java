package org.spindle.xen.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One object of the XenAPI data model: its class (as the API names it: {@code SR}, {@code VM}, {@code host}…),
 * its opaque reference and its stored fields, already in wire form (refs and enums as strings, ints as
 * {@code Long}, maps as {@code Map<String,String>}). Fields that are other objects' back references
 * ({@code SR.PBDs}, {@code VM.VBDs}…) are not stored; {@link XenModel#record} derives them.
 */
final class XObject {
    final String cls;
    final String ref;
    final Map<String, Object> fields = new LinkedHashMap<>();

    XObject(String cls, String ref) {
        this.cls = cls;
        this.ref = ref;
    }

    String uuid() {
        return (String) fields.get("uuid");
    }

    String str(String field) {
        Object v = fields.get(field);
        return v == null ? "" : v.toString();
    }

    boolean bool(String field) {
        return Boolean.TRUE.equals(fields.get(field));
    }

    long num(String field) {
        Object v = fields.get(field);
        return v == null ? 0 : ((Number) v).longValue();
    }

    @SuppressWarnings("unchecked")
    Map<String, String> map(String field) {
        return (Map<String, String>) fields.computeIfAbsent(field, f -> new LinkedHashMap<String, String>());
    }

    @Override
    public String toString() {
        return cls + " " + ref;
    }
}
