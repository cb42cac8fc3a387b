package org.spindle.xen.simulator;

import java.util.ArrayList;
import java.util.List;

/** A XenAPI failure: the code and its parameters, as {@code ErrorDescription} carries them. */
final class XapiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> description;

    XapiError(String code, String... params) {
        super(code + " " + String.join(" ", params));
        List<String> d = new ArrayList<>();
        d.add(code);
        d.addAll(List.of(params));
        this.description = List.copyOf(d);
    }

    List<String> description() {
        return description;
    }

    String code() {
        return description.get(0);
    }

    static XapiError handleInvalid(String cls, String ref) {
        return new XapiError("HANDLE_INVALID", cls, ref);
    }

    static XapiError notAllowed(String why) {
        return new XapiError("OPERATION_NOT_ALLOWED", why);
    }

    /** A storage manager failure, as xapi relays it: code {@code SR_BACKEND_FAILURE_<n>}, "", text, detail. */
    static XapiError backend(int code, String text, String detail) {
        return new XapiError("SR_BACKEND_FAILURE_" + code, "", text, detail);
    }
}
