package org.spindle.xen.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checked parameters of one call. A signature is a list of kinds: {@code session}, {@code ref:<class>},
 * {@code string}, {@code int}, {@code bool}, {@code map} (string to string), {@code set}, {@code struct}.
 * {@link #check} rejects what xapi rejects before a method runs: a wrong count
 * (MESSAGE_PARAMETER_COUNT_MISMATCH), an unknown session (SESSION_INVALID), a value of the wrong type
 * (FIELD_TYPE_ERROR) and a reference to nothing of that class (HANDLE_INVALID).
 */
final class Args {
    private final String method;
    private final List<String> names;
    private final List<Object> values;
    private final XenModel model;

    private Args(String method, List<String> names, List<Object> values, XenModel model) {
        this.method = method;
        this.names = names;
        this.values = values;
        this.model = model;
    }

    static Args check(String method, List<String> signature, List<Object> values, XenModel model, Sessions sessions) {
        if (signature.size() != values.size()) {
            throw new XapiError("MESSAGE_PARAMETER_COUNT_MISMATCH", method, Integer.toString(signature.size()),
                    Integer.toString(values.size()));
        }
        for (int i = 0; i < signature.size(); i++) {
            String kind = signature.get(i);
            Object v = values.get(i);
            String param = kind.contains("=") ? kind.substring(0, kind.indexOf('=')) : kind;
            String type = kind.contains("=") ? kind.substring(kind.indexOf('=') + 1) : kind;
            switch (type.startsWith("ref:") ? "ref" : type) {
                case "session" -> {
                    if (!(v instanceof String s) || !sessions.valid(s)) {
                        throw new XapiError("SESSION_INVALID", String.valueOf(v));
                    }
                }
                case "ref" -> {
                    if (!(v instanceof String s)) {
                        throw new XapiError("FIELD_TYPE_ERROR", param);
                    }
                    model.get(type.substring(4), s);
                }
                case "string" -> {
                    if (!(v instanceof String)) {
                        throw new XapiError("FIELD_TYPE_ERROR", param);
                    }
                }
                case "int" -> {
                    if (!(v instanceof Long) && !(v instanceof String s && s.matches("-?\\d{1,19}"))) {
                        throw new XapiError("FIELD_TYPE_ERROR", param);
                    }
                }
                case "bool" -> {
                    if (!(v instanceof Boolean)) {
                        throw new XapiError("FIELD_TYPE_ERROR", param);
                    }
                }
                case "map" -> {
                    if (!(v instanceof Map<?, ?> m) || m.values().stream().anyMatch(x -> !(x instanceof String))) {
                        throw new XapiError("FIELD_TYPE_ERROR", param);
                    }
                }
                case "set" -> {
                    if (!(v instanceof List<?>)) {
                        throw new XapiError("FIELD_TYPE_ERROR", param);
                    }
                }
                case "struct" -> {
                    if (!(v instanceof Map<?, ?>)) {
                        throw new XapiError("FIELD_TYPE_ERROR", param);
                    }
                }
                default -> throw new IllegalStateException("bad signature kind " + kind + " of " + method);
            }
        }
        return new Args(method, signature, values, model);
    }

    String method() {
        return method;
    }

    String session() {
        return (String) values.get(0);
    }

    XObject ref(int i) {
        String kind = names.get(i);
        String type = kind.contains("=") ? kind.substring(kind.indexOf('=') + 1) : kind;
        return model.get(type.substring(4), (String) values.get(i));
    }

    String str(int i) {
        return (String) values.get(i);
    }

    long num(int i) {
        Object v = values.get(i);
        return v instanceof Long l ? l : Long.parseLong((String) v);
    }

    boolean bool(int i) {
        return (Boolean) values.get(i);
    }

    @SuppressWarnings("unchecked")
    Map<String, String> map(int i) {
        return new LinkedHashMap<>((Map<String, String>) values.get(i));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> struct(int i) {
        return (Map<String, Object>) values.get(i);
    }
}
