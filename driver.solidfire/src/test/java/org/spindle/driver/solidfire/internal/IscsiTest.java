package org.spindle.driver.solidfire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spindle.driver.solidfire.internal.Requests.GB;
import static org.spindle.driver.solidfire.internal.Requests.GB_ON_SAN;
import static org.spindle.driver.solidfire.internal.Requests.group;
import static org.spindle.driver.solidfire.internal.Requests.host;
import static org.spindle.driver.solidfire.internal.Requests.iqn;
import static org.spindle.driver.solidfire.internal.Requests.volume;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.storage.api.Target;
import org.spindle.storage.api.driver.HostGroup;
import org.spindle.storage.api.driver.SanVolume;
import org.spindle.test.support.Commands;

/**
 * Real iSCSI: the simulator serves each volume through tgtd, and libiscsi logs in with exactly what the driver's
 * {@link Target} says (portal, IQN, LUN, CHAP). Skipped without tgt unless -Dspindle.require.tgt=true.
 */
class IscsiTest {
    TestCluster cluster;
    SolidFireStorageDriver driver;

    @BeforeEach
    void start() throws IOException {
        Iscsi.requireTgt();
        cluster = TestCluster.start(ElementSimulator.TgtMode.ON, b -> b);
        driver = cluster.driver(); // target.lun = the simulator's LUN (1: tgt reserves LUN 0)
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void grantedHostsSeeTheLunWithTheChapOfTheTarget() {
        SanVolume v = driver.createVolume(volume("iscsi-vol", "tenant-i"));
        Target t = driver.grantAccess(v.ref(), host(1));
        assertEquals(1, t.lun());
        assertEquals(GB_ON_SAN, Iscsi.capacity(iqn(1), t));
        Commands.Result inq = Iscsi.inquiry(iqn(1), t, t.chap().secret().reveal());
        assertTrue(inq.succeeded(), inq.out());

        Commands.Result wrong = Iscsi.inquiry(iqn(1), t, "wrongSecret12345");
        assertFalse(wrong.succeeded(), "a wrong CHAP secret is refused: " + wrong.out());
        Commands.Result stranger = Iscsi.inquiry(iqn(2), t, t.chap().secret().reveal());
        assertFalse(stranger.succeeded(), "an initiator not granted is refused: " + stranger.out());

        Target t2 = driver.grantAccess(v.ref(), host(2));
        assertEquals(t, t2);
        assertTrue(Iscsi.inquiry(iqn(2), t2, t2.chap().secret().reveal()).succeeded());
        driver.revokeAccess(v.ref(), host(2));
        assertFalse(Iscsi.inquiry(iqn(2), t2, t2.chap().secret().reveal()).succeeded(), "revoked");
        assertTrue(Iscsi.inquiry(iqn(1), t, t.chap().secret().reveal()).succeeded(), "host 1 keeps its access");

        driver.resizeVolume(v.ref(), 2 * GB);
        assertEquals(2_000_683_008L, Iscsi.capacity(iqn(1), t));

        driver.revokeAccess(v.ref(), host(1));
        assertFalse(Iscsi.inquiry(iqn(1), t, t.chap().secret().reveal()).succeeded(), "revoked");

        driver.grantAccess(v.ref(), host(1));
        assertTrue(Iscsi.inquiry(iqn(1), t, t.chap().secret().reveal()).succeeded());
        assertTrue(Iscsi.targets().contains(t.name()));
        driver.deleteVolume(v.ref());
        assertFalse(Iscsi.targets().contains(t.name()), "the target is gone");
        assertFalse(Iscsi.inquiry(iqn(1), t, t.chap().secret().reveal()).succeeded());
    }

    @Test
    void aSixHostGroupLogsInFromEachHostAndNotFromASeventh() {
        SanVolume v = driver.createVolume(volume("cluster-vol", "tenant-c"));
        HostGroup cluster6 = group("kvm-cluster", 11, 12, 13, 14, 15, 16);
        Target t = driver.grantAccess(v.ref(), cluster6);
        String secret = t.chap().secret().reveal();
        for (String initiator : cluster6.initiators()) {
            Commands.Result inq = Iscsi.inquiry(initiator, t, secret);
            assertTrue(inq.succeeded(), initiator + ": " + inq.out());
            assertEquals(GB_ON_SAN, Iscsi.capacity(initiator, t));
        }
        assertFalse(Iscsi.inquiry(iqn(17), t, secret).succeeded(), "a 7th initiator is refused");
        // the device id the driver hands out is what the LUN says of itself (tgt shows it as the T10 vendor
        // designator and builds its NAA designator from it)
        Commands.Result page83 = Commands.run("iscsi-inq", "-i", iqn(11), "-e", "1", "-c", "131", Iscsi.url(t, secret));
        assertTrue(page83.succeeded(), page83.out());
        assertTrue(t.deviceId().startsWith("naa."), t.deviceId());
        assertTrue(page83.out().contains("Designator:[" + t.deviceId().substring(4) + "]"), page83.out());
        assertTrue(Iscsi.list(iqn(11), t, secret).out().contains(t.name()), "iscsi-ls shows the target to a member");
        assertFalse(Iscsi.list(iqn(17), t, secret).out().contains(t.name()), "and not to a stranger");

        // host 14 leaves the cluster: the next grant of the group takes exactly its access away
        driver.grantAccess(v.ref(), group("kvm-cluster", 11, 12, 13, 15, 16));
        assertFalse(Iscsi.inquiry(iqn(14), t, secret).succeeded(), "the host that left is refused");
        for (int h : new int[] {11, 12, 13, 15, 16}) {
            assertTrue(Iscsi.inquiry(iqn(h), t, secret).succeeded(), "host " + h + " keeps its access");
        }

        driver.revokeAccess(v.ref(), group("kvm-cluster", 11, 12, 13, 15, 16));
        for (String initiator : cluster6.initiators()) {
            assertFalse(Iscsi.inquiry(initiator, t, secret).succeeded(), initiator + " after revoke");
        }
    }

    @Test
    void eachTenantHasItsOwnChap() {
        SanVolume a = driver.createVolume(volume("vol-a", "tenant-a"));
        SanVolume b = driver.createVolume(volume("vol-b", "tenant-b"));
        Target ta = driver.grantAccess(a.ref(), host(1));
        Target tb = driver.grantAccess(b.ref(), host(1));
        assertTrue(Iscsi.inquiry(iqn(1), ta, ta.chap().secret().reveal()).succeeded());
        assertTrue(Iscsi.inquiry(iqn(1), tb, tb.chap().secret().reveal()).succeeded());
        // tenant b's secret does not open tenant a's volume
        assertFalse(Iscsi.inquiry(iqn(1), ta, tb.chap().secret().reveal()).succeeded());
    }
}
