package org.spindle.solidfire.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.solidfire.client.ElementFactory;
import com.solidfire.element.api.AddAccountRequest;
import com.solidfire.element.api.CreateVolumeAccessGroupRequest;
import com.solidfire.element.api.CreateVolumeRequest;
import com.solidfire.element.api.GetClusterInfoRequest;
import com.solidfire.element.api.GetLimitsResult;
import com.solidfire.element.api.ListVolumesRequest;
import com.solidfire.element.api.ModifyVolumeRequest;
import com.solidfire.element.api.QoS;
import com.solidfire.element.api.SolidFireElement;
import com.solidfire.jsvcgen.javautil.Optional;

/**
 * NetApp's own Element client (solidfire-sdk-java) drives every method the SolidFire driver uses against the
 * simulator: a reply it cannot parse fails the test, and the values Spindle relies on are checked.
 */
class ElementSdkConformanceTest {
    static final long GB = 1_000_000_000L;
    static ElementSimulator sim;
    static SolidFireElement sf;

    @BeforeAll
    static void start() throws Exception {
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).credentials("root", "sdk-pw").start();
        URI url = URI.create(sim.url());
        sf = ElementFactory.create(url.getHost(), url.getPort(), "root", "sdk-pw", "8.0", false);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void everyMethodTheDriverUses_parsesWithTheSdk() {
        assertEquals(sim.uniqueId(), sf.getClusterInfo().getClusterInfo().getUniqueID());
        assertTrue(sf.getClusterCapacity().getClusterCapacity().getMaxIOPS() > 0);
        // This SDK has no GetDefaultQoS method: its QoS type parses the reply through the generic call.
        QoS defaults = sf.sendRequest("GetDefaultQoS", new GetClusterInfoRequest(), GetClusterInfoRequest.class, QoS.class);
        assertEquals(50L, defaults.getMinIOPS().get());
        GetLimitsResult limits = sf.getLimits();
        assertEquals(1_000_000_000L, limits.getVolumeSizeMin());
        assertEquals(50L, limits.getVolumeMinIOPSMin(), "the 8.0+ min IOPS floor");
        assertEquals(100L, limits.getVolumeMaxIOPSMin());
        assertEquals(100L, limits.getVolumeBurstIOPSMin());
        assertEquals(200_000L, limits.getVolumeMaxIOPSMax(), "12.3 (the simulator's default version) allows 200,000");
        assertEquals(64L, limits.getVolumeAccessGroupsPerVolumeCountMax(), "11.3+");
        assertEquals(128L, limits.getInitiatorsPerVolumeAccessGroupCountMax(), "11.3+");
        long account = sf.addAccount(new AddAccountRequest("sdk-tenant", Optional.empty(), Optional.empty(), Optional.empty()))
                .getAccountID();
        assertEquals("sdk-tenant", sf.getAccountByID(account).getAccount().getUsername());
        assertEquals(account, sf.getAccountByName("sdk-tenant").getAccount().getAccountID());
        assertTrue(sf.listAccounts(Optional.empty(), Optional.empty()).getAccounts().length >= 1);

        QoS qos = QoS.builder().optionalMinIOPS(100L).optionalMaxIOPS(1000L).optionalBurstIOPS(2000L).build();
        long volume = sf.createVolume(new CreateVolumeRequest("sdk-vol", account, GB, false, Optional.of(qos), Optional.empty()))
                .getVolumeID();
        sf.modifyVolume(new ModifyVolumeRequest(volume, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(2 * GB), Optional.empty()));
        assertEquals(volume, sf.getVolumeStats(volume).getVolumeStats().getVolumeID());
        assertEquals(1, sf.listVolumes(new ListVolumesRequest(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new Long[] {volume}), Optional.empty())).getVolumes().length);
        assertEquals(1, sf.listActiveVolumes(Optional.empty(), Optional.empty()).getVolumes().length);

        long group = sf.createVolumeAccessGroup(new CreateVolumeAccessGroupRequest("sdk-group", Optional.empty(),
                Optional.empty(), Optional.empty())).getVolumeAccessGroupID();
        sf.addInitiatorsToVolumeAccessGroup(group, new String[] {"iqn.2026-12.org.example:sdk"});
        sf.addVolumesToVolumeAccessGroup(group, new Long[] {volume});
        assertEquals(1, sf.listVolumeAccessGroups(Optional.empty(), Optional.empty()).getVolumeAccessGroups().length);
        sf.removeVolumesFromVolumeAccessGroup(group, new Long[] {volume});
        sf.removeInitiatorsFromVolumeAccessGroup(group, new String[] {"iqn.2026-12.org.example:sdk"});
        sf.deleteVolumeAccessGroup(group);

        sf.deleteVolume(volume);
        assertEquals(1, sf.listDeletedVolumes().getVolumes().length);
        sf.purgeDeletedVolume(volume);
        assertEquals(0, sf.listDeletedVolumes().getVolumes().length);
    }
}
