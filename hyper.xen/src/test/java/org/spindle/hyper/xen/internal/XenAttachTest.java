package org.spindle.hyper.xen.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.xen.simulator.TgtLun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Managed attach and detach on the simulated pool of three hosts, on a real tgt LUN. */
class XenAttachTest extends PoolWithLun {
    XenAttachTest() {
        super("attach", 96L << 20);
    }

    private Map<String, Object> only(String cls) {
        List<Map<String, Object>> r = xen.sim.records(cls);
        assertEquals(1, r.size(), cls + ": " + r);
        return r.get(0);
    }

    @Test
    void attachMakesAnSrWithAPlugPerHostAVdiFillingItAndAPluggedVbd() {
        UUID v = UUID.randomUUID();
        Attachment a = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE.withWeight(1000)));
        Map<String, Object> sr = only("SR");
        assertEquals("spindle:" + v, sr.get("name_description"));
        assertEquals("lvmoiscsi", sr.get("type"));
        assertEquals(true, sr.get("shared"));
        assertEquals(sr.get("uuid"), a.structure());
        List<Map<String, Object>> pbds = xen.sim.records("PBD");
        assertEquals(3, pbds.size());
        for (Map<String, Object> p : pbds) {
            assertEquals(true, p.get("currently_attached"));
            @SuppressWarnings("unchecked")
            Map<String, String> dc = (Map<String, String>) p.get("device_config");
            assertEquals(lun.scsiId(), dc.get("SCSIid"));
            assertEquals(lun.iqn, dc.get("targetIQN"));
            assertEquals("3260", dc.get("port"));
        }
        Map<String, Object> vdi = only("VDI");
        assertEquals((96L << 20) - (12L << 20), vdi.get("virtual_size"), "the VDI fills the SR");
        Map<String, Object> vbd = only("VBD");
        assertEquals(true, vbd.get("currently_attached"));
        @SuppressWarnings("unchecked") Map<String, String> oc = (Map<String, String>) vbd.get("other_config");
        assertEquals(v.toString(), oc.get("spindle-volume"));
        assertEquals("1000", oc.get("spindle-weight"));
        assertTrue(oc.get("spindle-since").matches("\\d+"), oc.toString());
        assertEquals("ionice", vbd.get("qos_algorithm_type"));
        assertEquals(Map.of("sched", "best-effort", "class", "0"), vbd.get("qos_algorithm_params"));
        assertEquals(vbd.get("uuid"), a.device());
        assertEquals(xen.sim.vmUuid("web"), a.vmId());
        assertEquals("xen2", a.host());
        assertTrue(a.managed());

        // a retry (a lost answer) finds everything and makes nothing
        int creates = count("SR.create") + count("VDI.create") + count("VBD.create") + count("PBD.create");
        assertEquals(a, xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE.withWeight(1000))));
        assertEquals(creates, count("SR.create") + count("VDI.create") + count("VBD.create") + count("PBD.create"));

        xen.pool.detach(a);
        xen.assertEmpty();
        xen.pool.detach(a);
        xen.assertEmpty();
    }

    private int count(String method) {
        return (int) xen.sim.calls().stream().filter(method::equals).count();
    }

    @Test
    void growScansTheSrAndResizesTheVdiToFillItAgain() throws Exception {
        Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "web", lun, IoLimits.NONE));
        long before = (Long) only("VDI").get("virtual_size");
        xen.pool.grow(a, 96L << 20);
        assertEquals(before, only("VDI").get("virtual_size"), "the LUN did not grow: nothing to do");
        lun.grow(160L << 20);
        xen.pool.grow(a, 160L << 20);
        assertEquals((160L << 20) - (12L << 20), only("VDI").get("virtual_size"), "the VDI fills the grown SR");
        assertEquals((160L << 20) - (12L << 20), only("SR").get("physical_size"));
        xen.pool.grow(a, 160L << 20);
        assertEquals((160L << 20) - (12L << 20), only("VDI").get("virtual_size"), "a retry changes nothing");
        assertEquals(true, only("VBD").get("currently_attached"));
        xen.pool.detach(a);
        xen.assertEmpty();
    }

    @Test
    void aHaltedVmGetsAVbdThatIsNotPluggedAndTheVmStartsWithIt() {
        Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "db", lun, IoLimits.NONE));
        Map<String, Object> vbd = only("VBD");
        assertEquals(false, vbd.get("currently_attached"));
        assertEquals("", vbd.get("qos_algorithm_type"));
        xen.sim.startVm("db", "xen3");
        assertEquals(true, only("VBD").get("currently_attached"));
        xen.sim.shutdown("db");
        xen.pool.detach(a);
        xen.assertEmpty();
    }

    @Test
    void withoutADeviceIdTheScsiIdIsProbedFromTheLunList() {
        UUID v = UUID.randomUUID();
        AttachRequest r = xen.request(v, "web", lun, IoLimits.NONE);
        AttachRequest noId = new AttachRequest(v, r.volumeName(), r.sizeBytes(), r.vm(), XenPeer.target(lun, false), true, r.limits());
        Attachment a = xen.pool.attach(noId);
        assertTrue(xen.sim.calls().contains("SR.create"));
        @SuppressWarnings("unchecked")
        Map<String, String> dc = (Map<String, String>) xen.sim.records("PBD").get(0).get("device_config");
        assertEquals(lun.scsiId(), dc.get("SCSIid"));
        xen.pool.detach(a);
        xen.assertEmpty();
    }

    @Test
    void reattachAfterDetachIntroducesTheSrOnTheLunWithItsVdiInsteadOfFormattingIt() {
        UUID v = UUID.randomUUID();
        Attachment first = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE));
        String vdiUuid = (String) only("VDI").get("uuid");
        xen.pool.detach(first);
        int creates = count("SR.create");
        Attachment again = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE));
        assertEquals(creates, count("SR.create"), "no SR.create over the data");
        assertTrue(xen.sim.calls().contains("SR.introduce"));
        assertEquals(first.structure(), again.structure());
        assertEquals(vdiUuid, only("VDI").get("uuid"), "the same VDI, found by SR.scan");
        assertEquals(3, xen.count("PBD"));
        xen.pool.detach(again);
        xen.assertEmpty();
    }

    @Test
    void aFailureAtEachStepLeavesNothingAndARetrySucceeds() throws Exception {
        for (String step : List.of("SR.probe", "SR.create", "SR.get_uuid", "VDI.create", "VBD.create", "VBD.plug", "VM.get_record")) {
            fresh();
            UUID v = UUID.randomUUID();
            xen.sim.faults().fail(step, 1, "INTERNAL_ERROR", "injected at " + step);
            StorageException e = assertThrows(StorageException.class, () -> xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE)),
                    step);
            assertTrue(e.getMessage().contains(step), e.getMessage());
            xen.assertEmpty();
            Attachment a = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE));
            xen.pool.detach(a);
            xen.assertEmpty();
        }
    }

    @Test
    void aLostReplyOfEachCreatingCallLeavesNothingAfterTheFailureAndTheRetryConverges() throws Exception {
        for (String step : List.of("SR.create", "VDI.create", "VBD.create", "VBD.plug")) {
            fresh();
            UUID v = UUID.randomUUID();
            xen.sim.faults().dropReply(step, 1);
            StorageException e = assertThrows(StorageException.class, () -> xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE)),
                    step);
            assertEquals(StorageException.Reason.UNAVAILABLE, e.reason(), e.getMessage());
            xen.assertEmpty();
            Attachment a = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE));
            assertEquals(1, xen.count("VBD"));
            xen.pool.detach(a);
            xen.assertEmpty();
        }
    }

    /** Found by XenCrashIT: SR.forget acted, its reply lost, the detach failed, and the volume stayed ATTACHED without a disk. */
    @Test
    void aLostReplyDuringDetachIsFollowedByOneMorePassAndTheDetachSucceeds() throws Exception {
        // the last call of a detach (the first, VBD.unplug, is XenCrashIT's: one LUN here keeps the test short)
        Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "web", lun, IoLimits.NONE));
        xen.sim.faults().dropReply("SR.forget", 1);
        xen.pool.detach(a);
        assertTrue(xen.sim.calls().contains("SR.forget"));
        xen.assertEmpty();
    }

    @Test
    void aDetachInterruptedAtEachStepConvergesOnTheNextOne() throws Exception {
        for (String step : List.of("VBD.unplug", "VBD.destroy", "VDI.forget", "PBD.unplug", "PBD.destroy", "SR.forget")) {
            fresh();
            Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "web", lun, IoLimits.NONE));
            xen.sim.faults().fail(step, 1, "INTERNAL_ERROR", "injected at " + step);
            assertThrows(StorageException.class, () -> xen.pool.detach(a), step);
            xen.pool.detach(a);
            xen.assertEmpty();
        }
        // a re-attach after a detach that stopped half-way, then lost its caller
        fresh();
        UUID v = UUID.randomUUID();
        Attachment a = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE));
        xen.sim.faults().fail("SR.forget", 1, "INTERNAL_ERROR", "injected");
        assertThrows(StorageException.class, () -> xen.pool.detach(a));
        Attachment again = xen.pool.attach(xen.request(v, "web", lun, IoLimits.NONE));
        assertEquals(3, xen.count("PBD"));
        assertEquals(true, only("VBD").get("currently_attached"));
        xen.pool.detach(again);
        xen.assertEmpty();
    }

    @Test
    void theVmMovesBetweenHostsAndDetachFindsItByUuid() {
        Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "web", lun, IoLimits.NONE));
        xen.sim.migrate("web", "xen1");
        xen.sim.migrate("web", "xen3");
        Attachment moved = xen.pool.updateHosts(a);
        assertEquals("xen3", moved.host());
        xen.pool.detach(a);
        xen.assertEmpty();
    }

    @Test
    void aHostThatJoinsGetsAPbdOnUpdateHosts() throws Exception {
        try (TgtLun wide = TgtLun.create("attach-join-" + (System.nanoTime() % 100000), 64L << 20, "hxjoin", "hyperXenJoin01",
                XenPeer.IQN1, XenPeer.IQN2, XenPeer.IQN3, "iqn.2026-12.org.spindle.hyperxen:xen4")) {
            Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "web", wide, IoLimits.NONE));
            xen.sim.joinHost("xen4", "iqn.2026-12.org.spindle.hyperxen:xen4");
            Set<String> hosts = new TreeSet<>();
            xen.pool.hosts().hosts().forEach(h -> hosts.add(h.name()));
            assertEquals(Set.of("xen1", "xen2", "xen3", "xen4"), hosts);
            xen.pool.updateHosts(a);
            assertEquals(4, xen.count("PBD"));
            xen.sim.records("PBD").forEach(p -> assertEquals(true, p.get("currently_attached")));
            xen.pool.detach(a);
            xen.assertEmpty();
        }
    }

    @Test
    void capsAreRefusedAndTheWeightChangesLive() {
        IoLimits caps = new IoLimits(Limit.of(100), Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE, Limit.NONE);
        StorageException e = assertThrows(StorageException.class, () -> xen.pool.attach(xen.request(UUID.randomUUID(), "web", lun, caps)));
        assertEquals(StorageException.Reason.QOS_REFUSED, e.reason());
        xen.assertEmpty();
        Attachment a = xen.pool.attach(xen.request(UUID.randomUUID(), "web", lun, IoLimits.NONE));
        xen.pool.changeLimits(a, IoLimits.NONE.withWeight(1));
        assertEquals("ionice", only("VBD").get("qos_algorithm_type"));
        assertEquals(Map.of("sched", "best-effort", "class", "7"), only("VBD").get("qos_algorithm_params"));
        xen.pool.changeLimits(a, IoLimits.NONE);
        assertEquals("", only("VBD").get("qos_algorithm_type"));
        assertEquals(StorageException.Reason.QOS_REFUSED, assertThrows(StorageException.class, () -> xen.pool.changeLimits(a, caps)).reason());
        xen.pool.detach(a);
    }

    @Test
    void aTargetTheHostsCannotLogInToFailsAndLeavesNothing() {
        UUID v = UUID.randomUUID();
        AttachRequest r = xen.request(v, "web", lun, IoLimits.NONE);
        org.spindle.storage.api.Target t = XenPeer.target(lun, true);
        org.spindle.storage.api.Target wrongChap = t.withChap(new org.spindle.storage.api.Chap(lun.user,
                org.spindle.storage.api.Secret.of("notTheSecret123")));
        StorageException e = assertThrows(StorageException.class, () -> xen.pool.attach(
                new AttachRequest(v, r.volumeName(), r.sizeBytes(), r.vm(), wrongChap, true, r.limits())));
        assertTrue(e.getMessage().contains("SR_BACKEND_FAILURE_68"), e.getMessage());
        assertFalse(e.getMessage().contains("notTheSecret123"));
        assertFalse(e.getMessage().contains(lun.secret));
        xen.assertEmpty();
        assertNotEquals(0, xen.sim.calls().size());
    }
}
