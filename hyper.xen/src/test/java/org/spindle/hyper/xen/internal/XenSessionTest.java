package org.spindle.hyper.xen.internal;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.storage.api.StorageException;
import org.spindle.xen.simulator.XenSimulator;

import com.xensource.xenapi.Host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool's session against the simulator: reuse, re-login, HOST_IS_SLAVE, logout, TLS trust. */
class XenSessionTest {
    private XenSimulator sim;

    @BeforeEach
    void start() throws Exception {
        sim = XenSimulator.builder().host("xen1", "iqn.2026-12.org.spindle.hyperxen:s1").host("xen2", "iqn.2026-12.org.spindle.hyperxen:s2")
                .host("xen3", null).build().start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private XenSession session(String url, String password, String pin) {
        PoolSettings s = PoolSettings.of(Configs.config(Configs.valid(), "xen.url", url, ".xen.password", password,
                "tls.fingerprint.sha256", pin));
        return new XenSession(s, XenTls.of(s));
    }

    private int logins() {
        return (int) sim.calls().stream().filter("session.login_with_password"::equals).count();
    }

    @Test
    void oneSessionServesEveryCallAndIsLoggedOutOnClose() {
        XenSession s = session(sim.url(), sim.password(), sim.certificateSha256());
        PoolHosts hosts = new PoolHosts(s);
        List<PoolHosts.XenHost> read = hosts.hosts();
        assertEquals(List.of("xen1", "xen2", "xen3"), read.stream().map(PoolHosts.XenHost::name).toList());
        assertEquals(null, read.get(2).iqn(), "a host without other_config:iscsi_iqn");
        hosts.hosts();
        hosts.findVm("nobody");
        assertEquals(1, logins());
        assertEquals(1, sim.sessionCount());
        s.close();
        assertEquals(0, sim.sessionCount());
        assertTrue(sim.calls().contains("session.logout"));
    }

    @Test
    void anInvalidatedSessionIsReplacedOnceAndTheCallSucceeds() {
        XenSession s = session(sim.url(), sim.password(), sim.certificateSha256());
        s.call("host.get_all", Host::getAll);
        sim.invalidateSessions();
        assertEquals(3, s.call("host.get_all", Host::getAll).size());
        assertEquals(2, logins());
        s.close();
    }

    @Test
    void aPoolMemberRedirectsToTheMasterAndAMasterChangeIsFollowed() {
        XenSession s = session(sim.url("xen2"), sim.password(), sim.certificateSha256());
        assertEquals(3, s.call("host.get_all", Host::getAll).size());
        assertEquals("127.0.0.1", s.master());
        sim.designateMaster("xen3");
        sim.invalidateSessions();
        assertEquals(3, s.call("host.get_all", Host::getAll).size());
        assertEquals("127.0.0.3", s.master());
        s.close();
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureWithoutThePassword() {
        XenSession s = session(sim.url(), "not-the-password", sim.certificateSha256());
        StorageException e = assertThrows(StorageException.class, () -> s.call("host.get_all", Host::getAll));
        assertEquals(StorageException.Reason.AUTHENTICATION, e.reason());
        assertFalse(e.getMessage().contains("not-the-password"));
    }

    @Test
    void anotherCertificateThanThePinnedOneIsRefused() {
        XenSession s = session(sim.url(), sim.password(), "00".repeat(32));
        StorageException e = assertThrows(StorageException.class, () -> s.call("host.get_all", Host::getAll));
        assertEquals(StorageException.Reason.UNAVAILABLE, e.reason());
        assertEquals(0, sim.sessionCount());
        assertEquals(0, logins(), "nothing reached the pool");
    }

    @Test
    void anUnreachableMasterIsUnavailable() {
        XenSession s = session("https://127.0.0.1:1/", sim.password(), sim.certificateSha256());
        assertEquals(StorageException.Reason.UNAVAILABLE, assertThrows(StorageException.class,
                () -> s.call("host.get_all", Host::getAll)).reason());
    }
}
