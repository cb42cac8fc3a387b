package org.spindle.hyper.xen.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.xen.simulator.TgtLun;
import org.spindle.xen.simulator.XenSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A pool of more than four hosts: six, each logging in to the LUN as its own initiator. */
class LargePoolTest {
    @BeforeAll
    static void peers() {
        XenPeer.requireTgt();
    }

    @Test
    void everyHostOfASixHostPoolGetsAPluggedPbd() throws Exception {
        org.spindle.xen.simulator.SimulatorBuilder b = XenSimulator.builder();
        List<String> iqns = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            String iqn = "iqn.2026-12.org.spindle.hyperxen:large" + i;
            iqns.add(iqn);
            b.host("large" + i, iqn);
        }
        b.vm("big", "large6", true);
        try (XenPeer xen = XenPeer.on(b.build().start());
             TgtLun lun = TgtLun.create("large-" + (System.nanoTime() % 100000), 64L << 20, "hxlarge", "hyperXenLarge1",
                     iqns.toArray(String[]::new))) {
            assertEquals(6, xen.pool.hosts().hosts().size());
            Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "big", lun, IoLimits.NONE));
            assertEquals(6, xen.count("PBD"));
            xen.sim.records("PBD").forEach(p -> assertEquals(true, p.get("currently_attached")));
            assertEquals("large6", a.host());
            xen.pool.detach(a);
            xen.assertEmpty();
        }
    }
}
