package org.spindle.xen.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes {@code Class.method} calls: the methods the simulator implements, each with its signature, and the
 * accessors xapi generates for every class ({@code get_record}, {@code get_all}, {@code get_all_records},
 * {@code get_by_uuid}, {@code get_by_name_label}, {@code get_<field>}, and for a few fields
 * {@code set_<field>}, {@code add_to_<field>}, {@code remove_from_<field>}).
 */
final class Dispatcher {
    interface Handler {
        Object call(Args a);
    }

    private record Entry(List<String> signature, Handler handler) {
    }

    static final Set<String> CLASSES = Set.of("pool", "host", "VM", "SR", "PBD", "VDI", "VBD", "session", "secret");
    private static final Set<String> SETTABLE = Set.of("name_label", "name_description", "other_config",
            "qos_algorithm_type", "qos_algorithm_params", "tags");
    private static final Set<String> MAPS = Set.of("other_config", "qos_algorithm_params", "sm_config", "xenstore_data");

    private final Map<String, Entry> methods = new HashMap<>();
    private final XenModel model;
    private final Sessions sessions;

    Dispatcher(XenModel model, Sessions sessions) {
        this.model = model;
        this.sessions = sessions;
    }

    /** Registers {@code method} with a comma-separated signature ({@code session,ref:SR,string}). */
    void add(String method, String signature, Handler handler) {
        methods.put(method, new Entry(signature.isEmpty() ? List.of() : Arrays.asList(signature.split(",")), handler));
    }

    Object dispatch(String method, List<Object> params) {
        Entry e = methods.get(method);
        if (e != null) {
            return e.handler().call(Args.check(method, e.signature(), params, model, sessions));
        }
        int dot = method.indexOf('.');
        String cls = dot < 0 ? "" : method.substring(0, dot);
        String name = dot < 0 ? method : method.substring(dot + 1);
        if (!CLASSES.contains(cls)) {
            throw new XapiError("MESSAGE_METHOD_UNKNOWN", method);
        }
        return generic(method, cls, name, params);
    }

    private Object generic(String method, String cls, String name, List<Object> params) {
        String ref = "ref:" + cls;
        switch (name) {
            case "get_record":
                return model.record(Args.check(method, List.of("session", ref), params, model, sessions).ref(1));
            case "get_all": {
                Args.check(method, List.of("session"), params, model, sessions);
                return model.all(cls).stream().map(o -> o.ref).toList();
            }
            case "get_all_records": {
                Args.check(method, List.of("session"), params, model, sessions);
                Map<String, Object> out = new LinkedHashMap<>();
                model.all(cls).forEach(o -> out.put(o.ref, model.record(o)));
                return out;
            }
            case "get_by_uuid": {
                Args a = Args.check(method, List.of("session", "uuid=string"), params, model, sessions);
                return model.byUuid(cls, a.str(1)).ref;
            }
            case "get_by_name_label": {
                Args a = Args.check(method, List.of("session", "label=string"), params, model, sessions);
                List<String> out = new ArrayList<>();
                model.all(cls, o -> a.str(1).equals(o.fields.get("name_label"))).forEach(o -> out.add(o.ref));
                return out;
            }
            default:
                break;
        }
        if (name.startsWith("get_")) {
            XObject o = Args.check(method, List.of("session", ref), params, model, sessions).ref(1);
            Map<String, Object> r = model.record(o);
            String field = name.substring(4);
            if (!r.containsKey(field)) {
                throw new XapiError("MESSAGE_METHOD_UNKNOWN", method);
            }
            return r.get(field);
        }
        if (name.startsWith("set_") && SETTABLE.contains(name.substring(4))) {
            String field = name.substring(4);
            String kind = MAPS.contains(field) ? "value=map" : "value=string";
            Args a = Args.check(method, List.of("session", ref, kind), params, model, sessions);
            XObject o = a.ref(1);
            o.fields.put(field, MAPS.contains(field) ? a.map(2) : a.str(2));
            return "";
        }
        if (name.startsWith("add_to_") && MAPS.contains(name.substring(7))) {
            Args a = Args.check(method, List.of("session", ref, "key=string", "value=string"), params, model, sessions);
            Map<String, String> m = a.ref(1).map(name.substring(7));
            if (m.containsKey(a.str(2))) {
                throw new XapiError("MAP_DUPLICATE_KEY", cls, name.substring(7), a.ref(1).ref, a.str(2));
            }
            m.put(a.str(2), a.str(3));
            return "";
        }
        if (name.startsWith("remove_from_") && MAPS.contains(name.substring(12))) {
            Args a = Args.check(method, List.of("session", ref, "key=string"), params, model, sessions);
            a.ref(1).map(name.substring(12)).remove(a.str(2));
            return "";
        }
        throw new XapiError("MESSAGE_METHOD_UNKNOWN", method);
    }
}
