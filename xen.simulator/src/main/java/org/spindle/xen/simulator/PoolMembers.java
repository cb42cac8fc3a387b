package org.spindle.xen.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pool's hosts (each at its own address, 127.0.0.N, the first one free) and VMs, as the simulator's builder and joins add them. */
final class PoolMembers {
    private final XenModel model;
    private final XObject pool;
    private final Rrds rrds;

    PoolMembers(XenModel model, XObject pool, Rrds rrds) {
        this.model = model;
        this.pool = pool;
        this.rrds = rrds;
    }

    XObject addHost(String name, String iqn) {
        int n = model.all("host").size();
        int free = 1;
        while (taken("127.0.0." + free)) {
            free++;
        }
        XObject h = model.create("host");
        h.fields.put("name_label", name);
        h.fields.put("name_description", "");
        h.fields.put("hostname", name);
        h.fields.put("address", "127.0.0." + free);
        h.fields.put("enabled", true);
        h.fields.put("API_version_major", 2L);
        h.fields.put("API_version_minor", 21L);
        h.fields.put("API_version_vendor", "XenSource");
        Map<String, String> oc = new LinkedHashMap<>();
        if (iqn != null) {
            oc.put("iscsi_iqn", iqn);
        }
        h.fields.put("other_config", oc);
        if (n == 0) {
            pool.fields.put("master", h.ref);
        }
        return h;
    }

    void addVm(String name, String host, boolean running) {
        XObject vm = model.create("VM");
        vm.fields.put("name_label", name);
        vm.fields.put("name_description", "");
        vm.fields.put("power_state", running ? VmCalls.RUNNING : VmCalls.HALTED);
        vm.fields.put("resident_on", running ? host(host).ref : XenModel.NULL_REF);
        vm.fields.put("is_a_template", false);
        vm.fields.put("is_control_domain", false);
        vm.fields.put("other_config", new LinkedHashMap<String, String>());
        if (running) {
            rrds.running(vm.uuid(), true);
        }
    }

    private boolean taken(String address) {
        return !model.all("host", o -> o.str("address").equals(address)).isEmpty();
    }

    XObject host(String name) {
        return byName("host", name);
    }

    XObject byName(String cls, String name) {
        List<XObject> found = model.all(cls, o -> name.equals(o.fields.get("name_label")));
        if (found.size() != 1) {
            throw new IllegalArgumentException(found.size() + " " + cls + " named " + name);
        }
        return found.get(0);
    }
}
