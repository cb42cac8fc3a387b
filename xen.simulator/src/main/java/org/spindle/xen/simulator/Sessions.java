package org.spindle.xen.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sessions: {@code session.login_with_password} / {@code logout}, each a {@code session} object of the model. */
final class Sessions {
    private final XenModel model;
    private final String user;
    private final String password;

    Sessions(XenModel model, String user, String password) {
        this.model = model;
        this.user = user;
        this.password = password;
    }

    boolean valid(String ref) {
        return model.find(ref).filter(o -> o.cls.equals("session")).isPresent();
    }

    /** {@code login_with_password(uname, pwd[, version[, originator]])}: 2 to 4 string parameters. */
    String login(String method, List<Object> params, String thisHost) {
        if (params.size() < 2 || params.size() > 4) {
            throw new XapiError("MESSAGE_PARAMETER_COUNT_MISMATCH", method, "4", Integer.toString(params.size()));
        }
        for (int i = 0; i < params.size(); i++) {
            if (!(params.get(i) instanceof String)) {
                throw new XapiError("FIELD_TYPE_ERROR", List.of("uname", "pwd", "version", "originator").get(i));
            }
        }
        if (!user.equals(params.get(0)) || !password.equals(params.get(1))) {
            throw new XapiError("SESSION_AUTHENTICATION_FAILED", (String) params.get(0),
                    "Authentication failure");
        }
        XObject s = model.create("session");
        s.fields.put("this_host", thisHost);
        s.fields.put("this_user", XenModel.NULL_REF);
        s.fields.put("last_active", Instant.now());
        s.fields.put("pool", false);
        s.fields.put("other_config", new java.util.LinkedHashMap<String, String>());
        s.fields.put("is_local_superuser", true);
        s.fields.put("originator", params.size() > 3 ? params.get(3) : "");
        return s.ref;
    }

    void logout(String ref) {
        model.find(ref).filter(o -> o.cls.equals("session")).ifPresent(model::remove);
    }

    /** Every session ends (the pool master restarted). */
    void invalidateAll() {
        model.all("session").forEach(model::remove);
    }

    int count() {
        return model.all("session").size();
    }

    static Map<String, Object> none() {
        return Map.of();
    }
}
