package org.spindle.xen.simulator;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.xensource.xenapi.Connection;
import com.xensource.xenapi.Host;
import com.xensource.xenapi.PBD;
import com.xensource.xenapi.Pool;
import com.xensource.xenapi.SR;
import com.xensource.xenapi.Session;
import com.xensource.xenapi.Types;
import com.xensource.xenapi.VM;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator's sessions, records and parameter checks, held against the XenAPI Java SDK (8.1.0). */
class XenApiSdkTest {
    private XenSimulator sim;

    @BeforeEach
    void start() throws Exception {
        sim = XenSimulator.builder()
                .host("xen1", "iqn.2026-12.org.spindle.xensim:xen1")
                .host("xen2", "iqn.2026-12.org.spindle.xensim:xen2")
                .host("xen3", "iqn.2026-12.org.spindle.xensim:xen3")
                .vm("vm1", "xen2", true).vm("vm2", null, false).build().start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void loginReadsThePoolThroughTheSdkRecords() throws Exception {
        Connection c = Sdk.login(sim);
        Map<Host, Host.Record> hosts = Host.getAllRecords(c);
        assertEquals(3, hosts.size());
        Set<String> iqns = new java.util.TreeSet<>();
        hosts.values().forEach(h -> iqns.add(h.otherConfig.get("iscsi_iqn")));
        assertEquals(Set.of("iqn.2026-12.org.spindle.xensim:xen1", "iqn.2026-12.org.spindle.xensim:xen2",
                "iqn.2026-12.org.spindle.xensim:xen3"), iqns);
        Pool pool = Pool.getAll(c).iterator().next();
        Host master = pool.getMaster(c);
        assertEquals("xen1", master.getNameLabel(c));
        assertEquals("127.0.0.1", master.getAddress(c));
        Map<VM, VM.Record> vms = VM.getAllRecords(c);
        Map<String, VM.Record> byName = new HashMap<>();
        vms.values().forEach(v -> byName.put(v.nameLabel, v));
        assertEquals(Types.VmPowerState.RUNNING, byName.get("vm1").powerState);
        assertEquals("xen2", byName.get("vm1").residentOn.getNameLabel(c));
        assertEquals(Types.VmPowerState.HALTED, byName.get("vm2").powerState);
        assertEquals(sim.vmUuid("vm1"), byName.get("vm1").uuid);
    }

    @Test
    void wrongPasswordAndLoggedOutSessionsAreRefused() throws Exception {
        Connection c = Sdk.connect(sim, sim.url());
        assertThrows(Types.SessionAuthenticationFailed.class, () -> Session.loginWithPassword(c, "root", "wrong", "2.21"));
        Connection ok = Sdk.login(sim);
        assertEquals(1, sim.sessionCount());
        Session.logout(ok);
        assertEquals(0, sim.sessionCount());
        Connection stale = Sdk.login(sim);
        sim.invalidateSessions();
        assertThrows(Types.SessionInvalid.class, () -> Host.getAll(stale));
    }

    @Test
    void loginAtAPoolMemberIsRedirectedToTheMaster() throws Exception {
        Connection slave = Sdk.connect(sim, sim.url("xen2"));
        Types.HostIsSlave e = assertThrows(Types.HostIsSlave.class,
                () -> Session.loginWithPassword(slave, "root", sim.password(), "2.21"));
        assertEquals("127.0.0.1", e.masterIPAddress);
        sim.designateMaster("xen2");
        Session.loginWithPassword(slave, "root", sim.password(), "2.21");
        assertEquals("https://127.0.0.2:" + sim.port() + "/", sim.url());
        Connection old = Sdk.connect(sim, sim.url("xen1"));
        assertEquals("127.0.0.2", assertThrows(Types.HostIsSlave.class,
                () -> Session.loginWithPassword(old, "root", sim.password(), "2.21")).masterIPAddress);
    }

    @Test
    void unknownReferencesWrongTypesAndUnknownMethodsAreRefused() throws Exception {
        Connection c = Sdk.login(sim);
        Types.HandleInvalid h = assertThrows(Types.HandleInvalid.class, () -> Types.toSR("OpaqueRef:nothing").forget(c));
        assertEquals("SR", h.clazz);
        assertThrows(Types.UuidInvalid.class, () -> SR.getByUuid(c, "00000000-0000-0000-0000-000000000000"));
        Host master = Pool.getAll(c).iterator().next().getMaster(c);
        // a PBD for an SR that does not exist
        PBD.Record r = new PBD.Record();
        r.host = master;
        r.SR = Types.toSR("OpaqueRef:nothing");
        r.deviceConfig = Map.of();
        r.otherConfig = Map.of();
        assertThrows(Types.HandleInvalid.class, () -> PBD.create(c, r));
        // an SR type nobody has
        assertEquals("nfs-nope", assertThrows(Types.SrUnknownDriver.class,
                () -> SR.create(c, master, Map.of(), 0L, "x", "", "nfs-nope", "user", true, Map.of())).driver);
        assertFalse(SR.getAll(c).iterator().hasNext());
    }

    @Test
    void faultsFailOrLoseTheReplyOfACall() throws Exception {
        Connection c = Sdk.login(sim);
        sim.faults().fail("host.get_all", 1, "INTERNAL_ERROR", "injected");
        Types.InternalError e = assertThrows(Types.InternalError.class, () -> Host.getAll(c));
        assertEquals("injected", e.message);
        assertEquals(3, Host.getAll(c).size());
        sim.faults().dropReply("session.logout", 1);
        assertThrows(Exception.class, () -> Session.logout(c));
        assertEquals(0, sim.sessionCount(), "the call ran although its reply was lost");
        assertTrue(sim.calls().contains("session.logout"));
    }
}
