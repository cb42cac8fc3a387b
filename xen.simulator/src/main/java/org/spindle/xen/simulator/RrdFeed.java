package org.spindle.xen.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HTTP handler xapi serves on every host for performance data, over this pool's {@link Rrds}. */
final class RrdFeed {
    private final XenModel model;
    private final Sessions sessions;
    private final Rrds rrds;

    RrdFeed(XenModel model, Sessions sessions, Rrds rrds) {
        this.model = model;
        this.sessions = sessions;
        this.rrds = rrds;
    }

    /**
     * {@code GET /rrd_updates?session_id=…&start=…[&cf=AVERAGE][&interval=…]} at one host: the RRD rows of the VMs running
     * there (a VM's RRD lives on its host), for their plugged disks. 401 without a valid session, 400 for a bad query.
     */
    String[] answer(String rawQuery, String address) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String kv : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                q.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (!sessions.valid(q.getOrDefault("session_id", ""))) {
            return new String[] {"401", "text/html", "<html><body><h1>HTTP 401 unauthorised</h1></body></html>"};
        }
        if (!q.getOrDefault("start", "").matches("-?\\d{1,19}") || !q.getOrDefault("cf", "AVERAGE").equals("AVERAGE")
                || !q.getOrDefault("interval", "5").matches("\\d{1,9}")) {
            return new String[] {"400", "text/html", "<html><body><h1>HTTP 400 bad request</h1></body></html>"};
        }
        List<XObject> hosts = model.all("host", h -> h.str("address").equals(address));
        Map<String, List<String>> devices = new LinkedHashMap<>();
        for (XObject vm : model.all("VM", v -> !hosts.isEmpty() && v.str("resident_on").equals(hosts.get(0).ref))) {
            List<String> devs = new ArrayList<>();
            model.all("VBD", b -> b.str("VM").equals(vm.ref) && b.bool("currently_attached")).forEach(b -> devs.add(b.str("device")));
            devices.put(vm.uuid(), devs);
        }
        return new String[] {"200", "text/xml", rrds.updates(devices, Long.parseLong(q.get("start")),
                Long.parseLong(q.getOrDefault("interval", "5")))};
    }
}
