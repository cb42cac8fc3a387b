package org.spindle.hyper.xen.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;

import com.xensource.xenapi.VBD;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the pool says is attached, and the limits in force, read back on the simulated pool (real tgt LUN): the way
 * the core's recovery and QoS audit ask after a crash or behind Spindle's back. A second {@link XenPool} on its own
 * session stands for a restarted Spindle that remembers nothing.
 */
class XenReadBackTest extends PoolWithLun {
    XenReadBackTest() {
        super("readback", 96L << 20);
    }

    /** The pool as a restarted Spindle sees it: a new session, nothing remembered. */
    private XenPool restarted() {
        return new XenPool(new XenSession(xen.settings, XenTls.of(xen.settings)), xen.settings.staticSrs());
    }

    @Test
    void aCompletedAttachIsFoundByItsVolumeWhoeverAsks() {
        UUID v = UUID.randomUUID();
        Attachment a = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE.withWeight(700)));
        try (XenPool after = restarted()) {
            assertEquals(Optional.of(a), after.findAttachment(v));
            assertEquals(List.of(a), after.attachments());
            assertEquals(Optional.empty(), after.findAttachment(UUID.randomUUID()));
        }
        xen.pool.detach(a);
        assertEquals(List.of(), xen.pool.attachments());
        xen.assertEmpty();
    }

    @Test
    void aHaltedVmsDiskIsAttachedWithoutAHost() {
        UUID v = UUID.randomUUID();
        Attachment a = xen.pool.attach(xen.request(v, "db", lun, IoLimits.NONE));
        assertEquals(null, a.host());
        assertEquals(Optional.of(a), restarted().findAttachment(v));
        xen.pool.detach(a);
        xen.assertEmpty();
    }

    @Test
    void aPlugWhoseReplyWasLostAndWhoseCleanupWasCutIsFoundAttached() {
        UUID v = UUID.randomUUID();
        // VBD.plug runs and its reply is lost; the attach's cleanup is cut at its first call (as by kill -9)
        xen.sim.faults().dropReply("VBD.plug", 1).fail("VBD.get_all_records", 1, "INTERNAL_ERROR", "cut");
        assertThrows(StorageException.class, () -> xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE)));
        Map<String, Object> vbd = xen.sim.records("VBD").get(0);
        assertEquals(true, vbd.get("currently_attached"));
        Attachment found;
        try (XenPool after = restarted()) {
            found = after.findAttachment(v).orElseThrow();
        }
        Map<String, Object> sr = xen.sim.records("SR").get(0);
        assertEquals(new Attachment(v, xen.sim.vmUuid("web"), "web", "xen2", (String) vbd.get("uuid"), (String) sr.get("uuid"), true), found);
        // the core rolls forward to ATTACHED with it; a later detach removes everything
        xen.pool.detach(found);
        xen.assertEmpty();
    }

    @Test
    void aHalfMadeAttachIsNotAnAttachmentAndADetachClearsIt() {
        UUID v = UUID.randomUUID();
        // SR, PBDs and VDI made; VBD.create fails and the cleanup is cut
        xen.sim.faults().fail("VBD.create", 1, "INTERNAL_ERROR", "boom").fail("VBD.get_all_records", 1, "INTERNAL_ERROR", "cut");
        assertThrows(StorageException.class, () -> xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE)));
        assertEquals(1, xen.count("SR"));
        assertEquals(Optional.empty(), restarted().findAttachment(v));
        assertEquals(List.of(), restarted().attachments());
        // a VBD made but never plugged in the running VM is no attachment either
        xen.sim.faults().fail("VBD.plug", 1, "INTERNAL_ERROR", "boom").fail("VBD.get_all_records", 1, "INTERNAL_ERROR", "cut");
        assertThrows(StorageException.class, () -> xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE)));
        assertEquals(1, xen.count("VBD"));
        assertEquals(Optional.empty(), restarted().findAttachment(v));
        // what the core does when nothing is attached: detach with the attachment it recorded (no device yet)
        xen.pool.detach(new Attachment(v, xen.sim.vmUuid("web"), "web", "xen2", "", null, true));
        xen.assertEmpty();
    }

    @Test
    void limitsAreReadFromTheVbdAndShowAnOperatorsChange() {
        UUID v = UUID.randomUUID();
        Attachment a = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE.withWeight(500)));
        assertEquals(IoLimits.NONE.withWeight(500), xen.pool.limits(a), "the weight asked for round-trips");
        // an operator: xe vbd-param-set uuid=… qos_algorithm_params:class=1 (through XenAPI, behind Spindle's back)
        setQos(a, "ionice", Map.of("sched", "best-effort", "class", "1"));
        assertEquals(IoLimits.NONE.withWeight(VbdDisks.weightOf(1)), xen.pool.limits(a));
        assertEquals(1, VbdDisks.ioniceClass(VbdDisks.weightOf(1)));
        setQos(a, "ionice", Map.of("sched", "best-effort", "class", "lowest"));
        assertEquals(IoLimits.NONE.withWeight(1), xen.pool.limits(a));
        setQos(a, "", Map.of());
        assertEquals(IoLimits.NONE, xen.pool.limits(a), "no QoS: no weight");
        xen.pool.changeLimits(a, IoLimits.NONE.withWeight(200));
        assertEquals(IoLimits.NONE.withWeight(200), restarted().limits(a), "read back by a service that remembers nothing");
        xen.pool.changeLimits(a, IoLimits.NONE);
        assertEquals(IoLimits.NONE, xen.pool.limits(a));
        xen.pool.detach(a);
        StorageException gone = assertThrows(StorageException.class, () -> xen.pool.limits(a));
        assertEquals(StorageException.Reason.NOT_FOUND, gone.reason());
    }

    private void setQos(Attachment a, String type, Map<String, String> params) {
        xen.session.call("operator", c -> {
            VBD b = VBD.getByUuid(c, a.device());
            b.setQosAlgorithmType(c, type);
            b.setQosAlgorithmParams(c, params);
            return null;
        });
    }

    @Test
    void everyWeightKeepsItsClassBothWays() {
        for (int w = 1; w <= IoLimits.MAX_WEIGHT; w++) {
            int cls = VbdDisks.ioniceClass(w);
            assertTrue(cls >= 0 && cls <= 7, "weight " + w);
            assertEquals(cls, VbdDisks.ioniceClass(VbdDisks.weightOf(cls)), "weight " + w);
            assertEquals(w, DiskReadBack.weight("ionice", Map.of("sched", "best-effort", "class", Integer.toString(cls)),
                    Map.of(VbdDisks.WEIGHT, Integer.toString(w))));
        }
        assertEquals(IoLimits.MAX_WEIGHT, DiskReadBack.weight("ionice", Map.of("sched", "rt", "class", "3"), Map.of()));
        assertEquals(1, DiskReadBack.weight("ionice", Map.of("sched", "idle"), Map.of()));
        assertEquals(VbdDisks.weightOf(4), DiskReadBack.weight("ionice", Map.of(), Map.of()), "xapi's defaults: best-effort, normal");
    }
}
