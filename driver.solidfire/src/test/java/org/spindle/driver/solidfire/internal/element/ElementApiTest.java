package org.spindle.driver.solidfire.internal.element;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.spindle.solidfire.simulator.ElementSimulator;
import org.spindle.storage.api.Secret;

/** The typed methods, at 12.3 and at 7.0 (no ListVolumes there). */
class ElementApiTest {
    ElementSimulator sim;
    ElementApi v12;
    ElementApi v7;

    @BeforeEach
    void start() throws IOException {
        sim = Sims.start();
        ElementClient c = Sims.client(sim);
        v12 = new ElementApi(c, new ApiVersion(12, 3));
        v7 = new ElementApi(c, new ApiVersion(7, 0));
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void accountsVolumesAndGroups() {
        long acct = v12.addAccount("spindle_t", Secret.of("initSecret123456"), Secret.of("targSecret123456"), Map.of("k", "v"));
        Wire.Account a = v12.getAccountByName("spindle_t");
        assertEquals(acct, a.accountID());
        assertEquals("initSecret123456", a.initiatorSecret().reveal());
        assertEquals(a, v12.getAccountById(acct));
        assertEquals(List.of(a), v12.listAccounts());
        assertEquals("xUnknownAccount", assertThrows(ElementException.class, () -> v12.getAccountByName("nobody")).name());
        assertTrue(a.toString().contains("********") && !a.toString().contains("initSecret"), a.toString());

        Wire.Volume v = v12.createVolume(new ElementApi.NewVolume("n1", acct, 1_000_000_000L, true,
                new Wire.Qos(100, 200, 300), Map.of("spindle-uuid", "u1")));
        assertEquals(1_000_341_504L, v.totalSize());
        assertEquals("u1", v.attribute("spindle-uuid"));
        assertEquals(new Wire.Qos(100, 200, 300), v.qos());
        assertEquals(List.of(v), v12.listVolumesForAccount(acct));
        assertEquals(List.of(v), v12.listActiveVolumes());
        assertEquals(Optional.of(v), v12.getVolume(v.volumeID()));
        assertEquals(Optional.of(v), v7.getVolume(v.volumeID()));
        assertEquals(Optional.empty(), v7.getVolume(v.volumeID() + 1));

        long g = v12.createVolumeAccessGroup("g1", List.of("iqn.2024-01.x:Y"), v.volumeID(), Map.of());
        assertEquals(List.of("iqn.2024-01.x:y"), v12.listVolumeAccessGroups().get(0).initiators());
        v12.removeVolumeFromAccessGroup(g, v.volumeID());
        v12.addVolumeToAccessGroup(g, v.volumeID());
        assertEquals("xAlreadyInVolumeAccessGroup", assertThrows(ElementException.class,
                () -> v12.addVolumeToAccessGroup(g, v.volumeID())).name());

        Wire.Volume grown = v12.modifyVolume(v.volumeID(), 2_000_000_000L, new Wire.Qos(150, 250, 350));
        assertEquals(2_000_683_008L, grown.totalSize());
        assertEquals("xVolumeShrinkProhibited", assertThrows(ElementException.class,
                () -> v12.modifyVolume(v.volumeID(), 1_500_000_000L, null)).name());
        assertEquals(v.volumeID(), v12.getVolumeStats(v.volumeID()).volumeID());
        assertEquals(200_000, v12.getClusterCapacity().maxIOPS());
        assertEquals(new Wire.Qos(50, 15_000, 15_000), v12.getDefaultQoS(), "an 8.0+ cluster defaults min IOPS to its floor, 50");
        assertEquals(100, v7.getDefaultQoS().minIOPS(), "a 7.x endpoint is given 100, its floor");
        assertEquals(sim.uniqueId(), v12.getClusterInfo().uniqueID());

        assertEquals("xVolumeIDDoesNotExist", assertThrows(ElementException.class,
                () -> v12.purgeDeletedVolume(v.volumeID())).name(), "only deleted volumes are purged");
        v12.deleteVolume(v.volumeID());
        assertEquals("deleted", v7.getVolume(v.volumeID()).orElseThrow().status(), "7.0 finds deleted volumes too");
        assertEquals("deleted", v12.getVolume(v.volumeID()).orElseThrow().status());
        assertEquals(1, v12.listDeletedVolumes().size());
        v12.purgeDeletedVolume(v.volumeID());
        assertEquals(Optional.empty(), v12.getVolume(v.volumeID()));
    }
}
