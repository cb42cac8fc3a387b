package org.spindle.xen.simulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Host;
import com.xensource.xenapi.PBD;
import com.xensource.xenapi.Pool;
import com.xensource.xenapi.SR;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.VBD;
import com.xensource.xenapi.VDI;
import com.xensource.xenapi.VM;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lvmoiscsi SRs on a real tgt LUN, through the SDK: logins as each host, SCSIid probing, xapi's refusals. */
class LvmoiscsiTest {
    private static final String H1 = "iqn.2026-12.org.spindle.xensim:lvm-h1";
    private static final String H2 = "iqn.2026-12.org.spindle.xensim:lvm-h2";
    private static final String H3 = "iqn.2026-12.org.spindle.xensim:lvm-h3";
    private XenSimulator sim;
    private TgtLun lun;
    private Connection c;
    private Host master;

    @BeforeAll
    static void peers() {
        Peers.requireTgt();
    }

    @BeforeEach
    void start() throws Exception {
        sim = XenSimulator.builder().host("h1", H1).host("h2", H2).host("h3", H3)
                .vm("running", "h2", true).vm("halted", null, false).build().start();
        c = Sdk.login(sim);
        master = Pool.getAll(c).iterator().next().getMaster(c);
    }

    @AfterEach
    void stop() throws Exception {
        sim.close();
        if (lun != null) {
            lun.close();
        }
    }

    private Map<String, String> dc(String secret, String scsiId) {
        Map<String, String> dc = new HashMap<>();
        dc.put("target", "127.0.0.1");
        dc.put("port", "3260");
        dc.put("targetIQN", lun.iqn);
        dc.put("chapuser", lun.user);
        dc.put("chappassword", secret);
        if (scsiId != null) {
            dc.put("SCSIid", scsiId);
        }
        return dc;
    }

    @Test
    void anSrOnARealLunWithAPlugsPerHostAVdiAndAVbd() throws Exception {
        lun = TgtLun.create("lvm-a", 64L << 20, "xensimlvma", "xensimSecret01", H1, H2, H3);
        // no SCSIid: SR_BACKEND_FAILURE_107 lists the LUN as the host read it
        Types.XenAPIException probe = assertThrows(Types.XenAPIException.class,
                () -> SR.create(c, master, dc(lun.secret, null), 0L, "a", "d", "lvmoiscsi", "user", true, Map.of()));
        assertEquals("SR_BACKEND_FAILURE_107", probe.errorDescription[0]);
        assertTrue(probe.errorDescription[3].contains("<SCSIid>" + lun.scsiId() + "</SCSIid>"), probe.errorDescription[3]);
        assertTrue(probe.errorDescription[3].contains("<size>" + (64L << 20) + "</size>"), probe.errorDescription[3]);
        // a wrong CHAP secret: the login fails, nothing is made
        Types.XenAPIException chap = assertThrows(Types.XenAPIException.class,
                () -> SR.create(c, master, dc("wrongSecret999", lun.scsiId()), 0L, "a", "d", "lvmoiscsi", "user", true, Map.of()));
        assertEquals("SR_BACKEND_FAILURE_68", chap.errorDescription[0]);
        assertTrue(chap.errorDescription[3].contains("Authentication failure"), chap.errorDescription[3]);
        assertFalse(chap.errorDescription[3].contains("wrongSecret999"));
        // a wrong SCSIid
        assertEquals("SR_BACKEND_FAILURE_107", assertThrows(Types.XenAPIException.class,
                () -> SR.create(c, master, dc(lun.secret, "3600000000000000000000000000000aa"), 0L, "a", "d", "lvmoiscsi", "user",
                        true, Map.of())).errorDescription[0]);
        assertEquals(List.of(), sim.records("SR"));
        assertEquals(List.of(), sim.records("PBD"));
        assertEquals(List.of(), sim.records("secret"));

        SR sr = SR.create(c, master, dc(lun.secret, lun.scsiId()), 0L, "a", "d", "lvmoiscsi", "user", true, Map.of());
        SR.Record r = sr.getRecord(c);
        assertEquals(3, r.PBDs.size());
        long usable = (64L << 20) - (12L << 20);
        assertEquals(usable, r.physicalSize);
        for (PBD p : r.PBDs) {
            PBD.Record pr = p.getRecord(c);
            assertTrue(pr.currentlyAttached);
            assertFalse(pr.deviceConfig.containsKey("chappassword"), "the password moved into a secret");
            assertTrue(pr.deviceConfig.containsKey("chappassword_secret"));
        }
        assertEquals(3, sim.records("secret").size());

        VDI.Record vr = new VDI.Record();
        vr.nameLabel = "disk";
        vr.SR = sr;
        vr.virtualSize = usable + 1;
        vr.type = Types.VdiType.USER;
        vr.otherConfig = Map.of("spindle-volume", "v1");
        vr.sharable = false;
        vr.readOnly = false;
        assertThrows(Types.XenAPIException.class, () -> VDI.create(c, vr), "larger than the SR");
        vr.virtualSize = usable;
        VDI vdi = VDI.create(c, vr);
        assertEquals(usable, sr.getPhysicalUtilisation(c));

        VM running = VM.getByNameLabel(c, "running").iterator().next();
        VM halted = VM.getByNameLabel(c, "halted").iterator().next();
        VBD vbd = VBD.create(c, vbdRecord(running, vdi));
        vbd.plug(c);
        assertTrue(vbd.getCurrentlyAttached(c));
        assertThrows(Types.DeviceAlreadyAttached.class, () -> vbd.plug(c));
        VBD cold = VBD.create(c, vbdRecord(halted, vdi));
        assertThrows(Types.VmBadPowerState.class, () -> cold.plug(c));
        cold.destroy(c);

        // xapi's refusals while in use
        PBD onH2 = r.PBDs.stream().filter(p -> uncheckedHost(p).equals("h2")).findFirst().orElseThrow();
        assertThrows(Types.VdiInUse.class, () -> onH2.unplug(c));
        PBD onH3 = r.PBDs.stream().filter(p -> uncheckedHost(p).equals("h3")).findFirst().orElseThrow();
        assertThrows(Types.OperationNotAllowed.class, () -> onH3.destroy(c));
        assertThrows(Types.SrHasPbd.class, () -> sr.forget(c));
        assertThrows(Types.VdiInUse.class, () -> vdi.forget(c));
        assertThrows(Types.DeviceAlreadyAttached.class, () -> vbd.destroy(c));
        // migration needs the SR on the destination: h3 loses its PBD, the VM cannot go there
        onH3.unplug(c);
        Host h3 = Host.getByNameLabel(c, "h3").iterator().next();
        assertThrows(Types.VmRequiresSr.class, () -> running.poolMigrate(c, h3, Map.of()));
        onH3.plug(c);
        running.poolMigrate(c, h3, Map.of());
        assertEquals("h3", sim.residentHost("running"));

        // teardown the CloudStack way, then the LUN still carries the SR and its VDI
        String srUuid = r.uuid;
        String vdiUuid = vdi.getUuid(c);
        vbd.unplug(c);
        vbd.destroy(c);
        vdi.forget(c);
        for (PBD p : r.PBDs) {
            p.unplug(c);
            p.destroy(c);
        }
        sr.forget(c);
        assertEquals(List.of(), sim.records("SR"));
        assertEquals(List.of(), sim.records("secret"));
        String xml = SR.probe(c, master, dc(lun.secret, lun.scsiId()), "lvmoiscsi", Map.of());
        assertTrue(xml.contains("<UUID>" + srUuid + "</UUID>"), xml);
        SR again = SR.introduce(c, srUuid, "a", "d", "lvmoiscsi", "user", true, Map.of());
        assertThrows(Types.SrUuidExists.class, () -> SR.introduce(c, srUuid, "a", "d", "lvmoiscsi", "user", true, Map.of()));
        for (Host h : Host.getAll(c)) {
            PBD.Record pr = new PBD.Record();
            pr.host = h;
            pr.SR = again;
            pr.deviceConfig = dc(lun.secret, lun.scsiId());
            pr.otherConfig = Map.of();
            PBD p = PBD.create(c, pr);
            assertThrows(Types.PbdExists.class, () -> PBD.create(c, pr));
            p.plug(c);
        }
        again.scan(c);
        assertEquals(Set.of(vdiUuid), Set.of(again.getVDIs(c).iterator().next().getUuid(c)));
    }

    @Test
    void aHostTheTargetDoesNotAdmitFailsTheSharedSrAndNothingIsLeft() throws Exception {
        lun = TgtLun.create("lvm-b", 32L << 20, "xensimlvmb", "xensimSecret02", H1, H2);
        Types.XenAPIException e = assertThrows(Types.XenAPIException.class,
                () -> SR.create(c, master, dc(lun.secret, lun.scsiId()), 0L, "b", "d", "lvmoiscsi", "user", true, Map.of()));
        assertEquals("SR_BACKEND_FAILURE_68", e.errorDescription[0]);
        assertTrue(e.errorDescription[3].contains(H3), e.errorDescription[3]);
        assertEquals(List.of(), sim.records("SR"));
        assertEquals(List.of(), sim.records("PBD"));
        assertEquals(List.of(), sim.records("secret"));
        // the same SR unshared, on the master alone, works
        SR sr = SR.create(c, master, dc(lun.secret, lun.scsiId()), 0L, "b", "d", "lvmoiscsi", "user", false, Map.of());
        assertEquals(1, sr.getPBDs(c).size());
    }

    private String uncheckedHost(PBD p) {
        try {
            return p.getHost(c).getNameLabel(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static VBD.Record vbdRecord(VM vm, VDI vdi) {
        VBD.Record b = new VBD.Record();
        b.VM = vm;
        b.VDI = vdi;
        b.userdevice = "autodetect";
        b.bootable = false;
        b.mode = Types.VbdMode.RW;
        b.type = Types.VbdType.DISK;
        b.unpluggable = true;
        b.empty = false;
        b.otherConfig = Map.of();
        b.qosAlgorithmType = "";
        b.qosAlgorithmParams = Map.of();
        return b;
    }
}
