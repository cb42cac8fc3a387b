package org.spindle.hyper.xen.internal;

import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.attach.AttachProperties;
import org.spindle.storage.api.attach.AttachRequest;
import org.spindle.storage.api.attach.Attachment;
import org.spindle.storage.api.attach.StaticDiskRequest;
import org.spindle.storage.api.attach.StaticDisks;
import org.spindle.storage.api.qos.IoLimits;

import com.xensource.xenapi.Pool;
import com.xensource.xenapi.SR;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A static SR the operator made (on a real tgt LUN): VDIs created, attached, detached and deleted in it. */
class StaticSrTest extends PoolWithLun {
    StaticSrTest() {
        super("static", 160L << 20);
    }

    /** The operator's SR on the test's LUN. */
    @BeforeEach
    void operatorsSr() throws Exception {
        Map<String, String> dc = new HashMap<>();
        dc.put("target", "127.0.0.1");
        dc.put("targetIQN", lun.iqn);
        dc.put("chapuser", lun.user);
        dc.put("chappassword", lun.secret);
        dc.put("SCSIid", lun.scsiId());
        xen.session.call("operator's SR.create", c -> SR.create(c, Pool.getAll(c).iterator().next().getMaster(c), dc, 0L,
                XenPeer.STATIC_SR, "made by the operator", "lvmoiscsi", "user", true, Map.of()));
    }

    @Test
    void theServiceOffersTheStaticSr() {
        Dictionary<String, Object> p = XenAttachService.serviceProperties(xen.settings, List.of(), Map.of());
        assertTrue(Arrays.equals(new String[] {XenPeer.STATIC_SR}, (String[]) p.get(AttachProperties.STRUCTURES)));
        assertTrue(Arrays.asList((String[]) p.get(AttachProperties.PROTOCOLS)).contains("file"));
        assertTrue(Arrays.asList(XenAttachService.serviceInterfaces(xen.settings)).contains(StaticDisks.class.getName()));
    }

    @Test
    void aVdiIsMadeAttachedDetachedAndDeletedAndTheSrStays() {
        UUID v = UUID.randomUUID();
        StaticDiskRequest req = new StaticDiskRequest(v, "s1", XenPeer.STATIC_SR, 64L << 20);
        Target disk = xen.pool.statics().createDisk(req);
        assertEquals("file", disk.protocol());
        assertTrue(disk.name().startsWith("xen:" + XenPeer.STATIC_SR + "/"), disk.name());
        assertEquals(disk, xen.pool.statics().createDisk(req), "a retry finds the VDI");
        assertEquals(1, xen.count("VDI"));

        Attachment a = xen.pool.attach(new AttachRequest(v, "s1", 64L << 20, xen.pool.findVm("web").orElseThrow(), disk, false,
                IoLimits.NONE.withWeight(500)));
        assertEquals(false, a.managed());
        assertNull(a.structure());
        Map<String, Object> vbd = xen.sim.records("VBD").get(0);
        assertEquals(true, vbd.get("currently_attached"));
        assertEquals("ionice", vbd.get("qos_algorithm_type"));

        xen.pool.detach(a);
        assertEquals(0, xen.count("VBD"));
        assertEquals(1, xen.count("VDI"), "detach keeps the disk");
        assertEquals(1, xen.count("SR"));
        assertEquals(3, xen.count("PBD"));

        xen.pool.statics().deleteDisk(disk);
        assertEquals(0, xen.count("VDI"));
        xen.pool.statics().deleteDisk(disk);
        assertEquals(1, xen.count("SR"), "the operator's SR stays");
    }

    @Test
    void anSrNotConfiguredAndABadTargetAreRefused() {
        StorageException e = assertThrows(StorageException.class, () -> xen.pool.statics().createDisk(
                new StaticDiskRequest(UUID.randomUUID(), "s2", "someone-elses-sr", 64L << 20)));
        assertEquals("structure", e.field());
        assertEquals("target.name", assertThrows(StorageException.class, () -> xen.pool.statics().deleteDisk(
                new Target("file", List.of(), "kvm-pool/x.raw", 0, null, null))).field());
        assertEquals(0, xen.count("VDI"));
    }
}
