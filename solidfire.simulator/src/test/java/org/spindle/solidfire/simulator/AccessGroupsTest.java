package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessGroupsTest {
    static final long GB = 1_000_000_000L;
    ElementSimulator sim;
    Rpc rpc;
    long account;

    @BeforeEach
    void start() throws IOException {
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).start();
        rpc = new Rpc(sim);
        account = rpc.addAccount("vag-owner");
    }

    @AfterEach
    void stop() {
        sim.stop();
    }

    @Test
    void lifecycle() {
        long v1 = rpc.createVolume("v1", account, GB);
        long v2 = rpc.createVolume("v2", account, GB);
        JsonNode r = rpc.call("CreateVolumeAccessGroup", Map.of("name", "CloudStack-cluster1",
                "initiators", List.of("iqn.1994-05.com.redhat:Host1"), "volumes", List.of(v1), "attributes", Map.of("openstack", true)));
        long g = r.get("volumeAccessGroupID").asLong();
        JsonNode vag = r.get("volumeAccessGroup");
        assertEquals(g, vag.get("volumeAccessGroupID").asLong());
        assertEquals("CloudStack-cluster1", vag.get("name").asText());
        assertEquals("[\"iqn.1994-05.com.redhat:host1\"]", vag.get("initiators").toString(), "initiator names are lower-cased");
        assertEquals(1, vag.get("initiatorIDs").size());
        assertEquals("[" + v1 + "]", vag.get("volumes").toString());
        assertEquals("[]", vag.get("deletedVolumes").toString());
        assertTrue(vag.at("/attributes/openstack").asBoolean());
        assertEquals("[" + g + "]", rpc.call("ListVolumes", Map.of("volumeIDs", List.of(v1))).at("/volumes/0/volumeAccessGroups").toString());

        vag = rpc.call("AddInitiatorsToVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "initiators", List.of("iqn.x:host2"))).get("volumeAccessGroup");
        assertEquals(2, vag.get("initiators").size());
        rpc.error("AddInitiatorsToVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "initiators", List.of("iqn.x:host2")), "xAlreadyInVolumeAccessGroup");
        vag = rpc.call("RemoveInitiatorsFromVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "initiators", List.of("iqn.x:host2"))).get("volumeAccessGroup");
        assertEquals(1, vag.get("initiators").size());
        rpc.error("RemoveInitiatorsFromVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "initiators", List.of("iqn.x:host2")), "xNotInVolumeAccessGroup");

        vag = rpc.call("AddVolumesToVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "volumes", List.of(v2))).get("volumeAccessGroup");
        assertEquals("[" + v1 + "," + v2 + "]", vag.get("volumes").toString());
        rpc.error("AddVolumesToVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "volumes", List.of(v2)), "xAlreadyInVolumeAccessGroup");
        rpc.error("AddVolumesToVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "volumes", List.of(31337)), "xVolumeIDDoesNotExist");
        vag = rpc.call("RemoveVolumesFromVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "volumes", List.of(v2))).get("volumeAccessGroup");
        assertEquals("[" + v1 + "]", vag.get("volumes").toString());
        rpc.error("RemoveVolumesFromVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "volumes", List.of(v2)), "xNotInVolumeAccessGroup");

        // deleting a volume moves it to deletedVolumes
        rpc.call("DeleteVolume", Map.of("volumeID", v1));
        vag = rpc.call("ListVolumeAccessGroups", Map.of("volumeAccessGroups", List.of(g, 999))).get("volumeAccessGroups").get(0);
        assertEquals("[]", vag.get("volumes").toString());
        assertEquals("[" + v1 + "]", vag.get("deletedVolumes").toString());
        assertEquals("[999]", rpc.call("ListVolumeAccessGroups", Map.of("volumeAccessGroups", List.of(g, 999))).get("volumeAccessGroupsNotFound").toString());
        rpc.call("PurgeDeletedVolume", Map.of("volumeID", v1));
        assertEquals("[]", rpc.call("ListVolumeAccessGroups").at("/volumeAccessGroups/0/deletedVolumes").toString());

        assertEquals("{}", rpc.call("DeleteVolumeAccessGroup", Map.of("volumeAccessGroupID", g)).toString());
        assertEquals(0, rpc.call("ListVolumeAccessGroups").get("volumeAccessGroups").size());
        assertTrue(sim.accessGroups().isEmpty());
    }

    @Test
    void unknownGroup() {
        rpc.error("AddInitiatorsToVolumeAccessGroup", Map.of("volumeAccessGroupID", 77, "initiators", List.of("iqn.a:b")), "xVolumeAccessGroupIDDoesNotExist");
        rpc.error("RemoveInitiatorsFromVolumeAccessGroup", Map.of("volumeAccessGroupID", 77, "initiators", List.of("iqn.a:b")), "xVolumeAccessGroupIDDoesNotExist");
        rpc.error("AddVolumesToVolumeAccessGroup", Map.of("volumeAccessGroupID", 77, "volumes", List.of(1)), "xVolumeAccessGroupIDDoesNotExist");
        rpc.error("RemoveVolumesFromVolumeAccessGroup", Map.of("volumeAccessGroupID", 77, "volumes", List.of(1)), "xVolumeAccessGroupIDDoesNotExist");
        rpc.error("DeleteVolumeAccessGroup", Map.of("volumeAccessGroupID", 77), "xVolumeAccessGroupIDDoesNotExist");
        rpc.error("CreateVolumeAccessGroup", Map.of("initiators", List.of()), "xMissingParameter");
        rpc.error("AddInitiatorsToVolumeAccessGroup", Map.of("volumeAccessGroupID", 77), "xMissingParameter");
    }

    private void element(String version) throws IOException {
        sim.stop();
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).apiVersion(version).start();
        rpc = new Rpc(sim).version(version);
        account = rpc.addAccount("vag-owner");
    }

    @Test
    void getLimitsFollowsTheReportedVersion() throws IOException {
        JsonNode l12 = rpc.call("GetLimits");
        assertEquals(64, l12.get("volumeAccessGroupsPerVolumeCountMax").asLong());
        assertEquals(128, l12.get("initiatorsPerVolumeAccessGroupCountMax").asLong());
        assertEquals(1, l12.get("volumeAccessGroupsPerInitiatorCountMax").asLong());
        assertEquals(200_000, l12.get("volumeMaxIOPSMax").asLong());
        assertEquals(200_000, l12.get("volumeBurstIOPSMax").asLong());
        assertEquals(100, l12.get("volumeMaxIOPSMin").asLong());
        assertEquals(100, l12.get("volumeBurstIOPSMin").asLong());
        assertEquals(50, l12.get("volumeMinIOPSMin").asLong());
        assertEquals(15_000, l12.get("volumeMinIOPSMax").asLong());
        assertEquals(1_000_000_000L, l12.get("volumeSizeMin").asLong());
        assertEquals(8_000_000_491_520L, l12.get("volumeSizeMax").asLong());
        element("9.0");
        assertEquals("9.0", rpc.call("GetAPI").get("currentVersion").asText());
        rpc.version("10.0").error("GetLimits", Map.of(), "xUnknownAPIVersion");
        JsonNode l9 = rpc.call("GetLimits");
        assertEquals(4, l9.get("volumeAccessGroupsPerVolumeCountMax").asLong());
        assertEquals(64, l9.get("initiatorsPerVolumeAccessGroupCountMax").asLong());
        assertEquals(100_000, l9.get("volumeMaxIOPSMax").asLong());
        assertEquals(100, l9.get("volumeMaxIOPSMin").asLong());
    }

    @Test
    void aVolumeIsIn64GroupsOnRecentElement() {
        long v = rpc.createVolume("shared", account, GB);
        for (int i = 0; i < 64; i++) {
            rpc.call("CreateVolumeAccessGroup", Map.of("name", "g" + i, "volumes", List.of(v)));
        }
        Rpc.Error e = rpc.error("CreateVolumeAccessGroup", Map.of("name", "g65", "volumes", List.of(v)), "xExceededLimit");
        assertTrue(e.message().contains("(64)"), e.message());
        assertEquals(64, sim.volume(v).orElseThrow().volumeAccessGroups().size());
    }

    @Test
    void aGroupHolds128InitiatorsOnRecentElement() {
        assertAGroupHoldsAtMost(128);
    }

    /** A group of {@code max + 1} initiators is refused, one of {@code max} made, and one more initiator cannot join it. */
    private void assertAGroupHoldsAtMost(int max) {
        List<String> inits = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            inits.add("iqn.2020-01.test:host" + i);
        }
        rpc.error("CreateVolumeAccessGroup", Map.of("name", "big", "initiators", inits), "xExceededLimit");
        long g = rpc.call("CreateVolumeAccessGroup", Map.of("name", "big", "initiators", inits.subList(0, max)))
                .get("volumeAccessGroupID").asLong();
        rpc.error("AddInitiatorsToVolumeAccessGroup", Map.of("volumeAccessGroupID", g, "initiators", List.of(inits.get(max))), "xExceededLimit");
        assertEquals(max, sim.accessGroups().get(0).initiators().size());
    }

    @Test
    void aVolumeIsInAtMostFourGroupsOnElement9() throws IOException {
        element("9.0");
        long v = rpc.createVolume("shared", account, GB);
        for (int i = 0; i < 4; i++) {
            rpc.call("CreateVolumeAccessGroup", Map.of("name", "g" + i, "volumes", List.of(v)));
        }
        Rpc.Error e = rpc.error("CreateVolumeAccessGroup", Map.of("name", "g5", "volumes", List.of(v)), "xExceededLimit");
        assertTrue(e.message().contains("" + v));
        long g5 = rpc.call("CreateVolumeAccessGroup", Map.of("name", "g5")).get("volumeAccessGroupID").asLong();
        rpc.error("AddVolumesToVolumeAccessGroup", Map.of("volumeAccessGroupID", g5, "volumes", List.of(v)), "xExceededLimit");
        assertEquals(4, sim.volume(v).orElseThrow().volumeAccessGroups().size());
    }

    @Test
    void aGroupHoldsAtMost64InitiatorsOnElement9() throws IOException {
        element("9.6");
        assertAGroupHoldsAtMost(64);
    }

    @Test
    void anInitiatorIsInAtMostOneGroup() {
        String iqn = "iqn.1993-08.org.debian:01:abcdef";
        long g1 = rpc.call("CreateVolumeAccessGroup", Map.of("name", "one", "initiators", List.of(iqn))).get("volumeAccessGroupID").asLong();
        Rpc.Error e = rpc.error("CreateVolumeAccessGroup", Map.of("name", "two", "initiators", List.of(iqn)), "xExceededLimit");
        assertTrue(e.message().contains(iqn), "Cinder looks for the IQN in the message: " + e.message());
        long g2 = rpc.call("CreateVolumeAccessGroup", Map.of("name", "two")).get("volumeAccessGroupID").asLong();
        Rpc.Error e2 = rpc.error("AddInitiatorsToVolumeAccessGroup", Map.of("volumeAccessGroupID", g2, "initiators", List.of(iqn.toUpperCase())), "xExceededLimit");
        assertTrue(e2.message().contains(iqn));
        rpc.call("DeleteVolumeAccessGroup", Map.of("volumeAccessGroupID", g1));
        rpc.call("AddInitiatorsToVolumeAccessGroup", Map.of("volumeAccessGroupID", g2, "initiators", List.of(iqn)));
    }

    @Test
    void listPaging() {
        long a = rpc.call("CreateVolumeAccessGroup", Map.of("name", "a")).get("volumeAccessGroupID").asLong();
        long b = rpc.call("CreateVolumeAccessGroup", Map.of("name", "b")).get("volumeAccessGroupID").asLong();
        rpc.call("CreateVolumeAccessGroup", Map.of("name", "c"));
        JsonNode page = rpc.call("ListVolumeAccessGroups", Map.of("startVolumeAccessGroupID", b, "limit", 1)).get("volumeAccessGroups");
        assertEquals(1, page.size());
        assertEquals(b, page.get(0).get("volumeAccessGroupID").asLong());
        assertEquals(3, rpc.call("ListVolumeAccessGroups", Map.of("startVolumeAccessGroupID", a)).get("volumeAccessGroups").size());
    }
}
