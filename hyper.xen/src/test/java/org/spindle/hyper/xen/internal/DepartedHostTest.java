package org.spindle.hyper.xen.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.xen.simulator.TgtLun;
import org.spindle.xen.simulator.XenSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** updateHosts after a host left the pool (pool.eject): its PBD is dropped, the others stay plugged. */
class DepartedHostTest {
    private static final String IQN4 = "iqn.2026-12.org.spindle.hyperxen:xen4";

    @Test
    void theDepartedHostsPbdIsDroppedAndTheRestStays() throws Exception {
        XenPeer.requireTgt();
        XenSimulator sim = XenSimulator.builder().host("xen1", XenPeer.IQN1).host("xen2", XenPeer.IQN2).host("xen3", XenPeer.IQN3)
                .host("xen4", IQN4).vm("web", "xen2", true).build().start();
        String name = "departed-" + (System.nanoTime() % 100000);
        try (XenPeer xen = XenPeer.on(sim);
             TgtLun lun = TgtLun.create(name, 96L << 20, "hx" + name.replace("-", ""), "hyperXenSecret" + name.length(),
                     XenPeer.IQN1, XenPeer.IQN2, XenPeer.IQN3, IQN4)) {
            Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "web", lun, IoLimits.NONE));
            assertEquals(Set.of("xen1", "xen2", "xen3", "xen4"), pbdHosts(xen));
            int secrets = xen.count("secret");

            sim.ejectHost("xen4");
            List<Map<String, Object>> pbds = sim.records("PBD");
            assertEquals(4, pbds.size(), "the eject leaves the PBD record with its host gone");

            Attachment now = xen.pool.updateHosts(a);
            assertEquals(Set.of("xen1", "xen2", "xen3"), pbdHosts(xen));
            assertTrue(sim.records("PBD").stream().allMatch(p -> Boolean.TRUE.equals(p.get("currently_attached"))));
            assertTrue(xen.count("secret") < secrets, "the departed PBD's secret went with it");
            assertEquals("xen2", now.host());
            assertEquals(true, sim.records("VBD").get(0).get("currently_attached"));

            assertEquals(now, xen.pool.updateHosts(a), "again: nothing to do");
            assertEquals(3, xen.count("PBD"));
            assertEquals(0, sim.calls().stream().filter("PBD.create"::equals).count(), "no PBD made: the remaining hosts had theirs");

            xen.pool.detach(now);
            xen.assertEmpty();
        }
    }

    private static Set<String> pbdHosts(XenPeer xen) {
        Map<String, String> names = new java.util.HashMap<>();
        xen.sim.records("host").forEach(h -> names.put((String) h.get("ref"), (String) h.get("name_label")));
        Set<String> out = new TreeSet<>();
        xen.sim.records("PBD").forEach(p -> out.add(names.getOrDefault((String) p.get("host"), "gone:" + p.get("host"))));
        return out;
    }
}
