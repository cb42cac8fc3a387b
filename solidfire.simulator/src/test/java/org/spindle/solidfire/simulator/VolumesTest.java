package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumesTest {
    static final long GB = 1_000_000_000L;
    static ElementSimulator sim;
    static Rpc rpc;
    static long account;

    @BeforeAll
    static void start() throws IOException {
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).uniqueId("u7do").maxIopsCeiling(100_000).start();
        rpc = new Rpc(sim);
        account = rpc.addAccount("vol-owner");
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void createVolumeReturnsTheFullVolumeObject() {
        JsonNode r = rpc.call("CreateVolume", Map.of("name", "MyVol-One", "accountID", account, "totalSize", GB,
                "enable512e", true, "attributes", Map.of("CloudStackVolumeId", "12")));
        long id = r.get("volumeID").asLong();
        JsonNode v = r.get("volume");
        assertTrue(r.get("curve").isObject());
        assertEquals(id, v.get("volumeID").asLong());
        assertEquals("readWrite", v.get("access").asText());
        assertEquals(account, v.get("accountID").asLong());
        assertEquals("12", v.at("/attributes/CloudStackVolumeId").asText());
        Instant.parse(v.get("createTime").asText());
        assertEquals("", v.get("deleteTime").asText());
        assertEquals("", v.get("purgeTime").asText());
        assertTrue(v.get("enable512e").asBoolean());
        assertEquals("iqn.2010-01.com.solidfire:u7do.myvol-one." + id, v.get("iqn").asText());
        assertEquals("MyVol-One", v.get("name").asText());
        assertEquals(50, v.at("/qos/minIOPS").asLong(), "GetDefaultQoS of an 8.0+ cluster");
        assertEquals(15000, v.at("/qos/maxIOPS").asLong());
        assertEquals(15000, v.at("/qos/burstIOPS").asLong());
        assertEquals(60, v.at("/qos/burstTime").asInt());
        assertEquals(100, v.at("/qos/curve/4096").asInt());
        assertEquals(String.format("7537646f%08xf47acc0100000000", id), v.get("scsiEUIDeviceID").asText());
        assertEquals(String.format("6f47acc1000000007537646f%08x", id), v.get("scsiNAADeviceID").asText());
        assertEquals(1, v.get("sliceCount").asInt());
        assertEquals("active", v.get("status").asText());
        assertEquals(1_000_341_504L, v.get("totalSize").asLong(), "1 GB rounds up to 954 MiB as in the Element sample");
        assertTrue(v.get("volumeAccessGroups").isArray() && v.get("volumeAccessGroups").isEmpty());
        assertTrue(v.get("volumePairs").isArray() && v.get("volumePairs").isEmpty());
        assertEquals(4096, v.get("blockSize").asInt());
        assertEquals(36, v.get("volumeUUID").asText().length());
        JsonNode owned = rpc.call("GetAccountByID", Map.of("accountID", account)).at("/account/volumes");
        assertTrue(owned.toString().matches(".*\\b" + id + "\\b.*"), owned.toString());
        assertEquals(v.toString(), sim.volumeJson(id).orElseThrow().toString());
        assertEquals(v, rpc.call("ListVolumes", Map.of("volumeIDs", List.of(id))).at("/volumes/0"));
    }

    @Test
    void sizesRoundUpToWholeMiB() {
        long a = rpc.addAccount("sizes");
        assertEquals(1_000_341_504L, size(rpc.createVolume("s1", a, 1_000_000_000L)), "954 MiB, as in the Element sample");
        assertEquals(1_000_341_504L, size(rpc.createVolume("s2", a, 1_000_341_504L)));
        assertEquals(1_001_390_080L, size(rpc.createVolume("s3", a, 1_000_341_505L)));
        assertEquals(10L << 30, size(rpc.createVolume("s4", a, 10L << 30)), "GiB multiples (Cinder) stay as they are");
        rpc.error("CreateVolume", Map.of("name", "s5", "accountID", a, "totalSize", 0), "xInvalidParameter");
        rpc.error("CreateVolume", Map.of("name", "s6", "accountID", a, "totalSize", -5), "xInvalidParameter");
    }

    @Test
    void volumesBelowElementsMinimumSizeAreRefused() {
        long a = rpc.addAccount("small");
        int before = sim.volumes().size();
        Rpc.Error e = rpc.error("CreateVolume", Map.of("name", "tiny", "accountID", a, "totalSize", 999_999_999L),
                "xInvalidParameter");
        assertTrue(e.message().contains("totalSize") && e.message().contains("1000000000"), e.message());
        rpc.error("CreateVolume", Map.of("name", "mib", "accountID", a, "totalSize", 1_048_576L), "xInvalidParameter");
        assertEquals(before, sim.volumes().size(), "nothing was made");
        assertEquals(1_000_000_000L, rpc.call("GetLimits").get("volumeSizeMin").asLong());
    }

    private long size(long id) {
        return sim.volume(id).orElseThrow().totalSize();
    }

    @Test
    void createVolumeValidation() {
        rpc.error("CreateVolume", Map.of("name", "x", "accountID", 424242, "totalSize", GB), "xAccountIDDoesNotExist");
        rpc.error("CreateVolume", Map.of("name", "", "accountID", account, "totalSize", GB), "xInvalidParameter");
        assertTrue(rpc.error("CreateVolume", Map.of("name", "n".repeat(65), "accountID", account, "totalSize", GB),
                "xInvalidParameter").message().contains("name"));
        rpc.call("CreateVolume", Map.of("name", "n".repeat(64), "accountID", account, "totalSize", GB));
        Map<String, Object> big = new HashMap<>(Map.of("k", "v".repeat(992)));
        Rpc.Error attr = rpc.error("CreateVolume", Map.of("name", "a", "accountID", account, "totalSize", GB, "attributes", big), "xInvalidParameter");
        assertTrue(attr.message().contains("attributes") && attr.message().contains("1000"), attr.message());
        rpc.call("CreateVolume", Map.of("name", "a", "accountID", account, "totalSize", GB, "attributes", Map.of("k", "v".repeat(980))));
        long countBefore = sim.volumes().size();
        rpc.error("CreateVolume", Map.of("name", "q", "accountID", account, "totalSize", GB, "qos", Map.of("minIOPS", 10)), "xInvalidParameter");
        assertEquals(countBefore, sim.volumes().size(), "a failed create leaves no volume");
    }

    @Test
    void qosLimits() {
        assertQosError(Map.of("minIOPS", 49), "8.0", "minIOPS");
        assertQosOk(Map.of("minIOPS", 50, "maxIOPS", 100, "burstIOPS", 100), "8.0");
        assertQosError(Map.of("minIOPS", 50, "maxIOPS", 99, "burstIOPS", 100), "8.0", "maxIOPS");
        assertQosError(Map.of("minIOPS", 50, "maxIOPS", 100, "burstIOPS", 99), "8.0", "burstIOPS");
        assertQosError(Map.of("minIOPS", 50, "maxIOPS", 100, "burstIOPS", 100), "7.0", "minIOPS");
        assertQosOk(Map.of("minIOPS", 100, "maxIOPS", 100, "burstIOPS", 100), "7.0");
        assertQosError(Map.of("minIOPS", 15001, "maxIOPS", 20000, "burstIOPS", 20000), "8.0", "minIOPS");
        assertQosOk(Map.of("minIOPS", 15000, "maxIOPS", 100000, "burstIOPS", 100000), "8.0");
        assertQosError(Map.of("minIOPS", 100, "maxIOPS", 100001, "burstIOPS", 100001), "8.0", "maxIOPS");
        assertQosError(Map.of("minIOPS", 100, "maxIOPS", 1000, "burstIOPS", 100001), "8.0", "burstIOPS");
        assertQosError(Map.of("minIOPS", 1000, "maxIOPS", 500, "burstIOPS", 2000), "8.0", "minIOPS");
        assertQosError(Map.of("minIOPS", 100, "maxIOPS", 2000, "burstIOPS", 1000), "8.0", "burstIOPS");
        assertQosError(Map.of("minIOPS", 100, "maxIOPS", 20000), "8.0", "burstIOPS"); // default burst 15000 < max
        assertQosError(Map.of("minIOPS", "lots"), "8.0", "minIOPS");
        JsonNode v = assertQosOk(Map.of("minIOPS", 200), "8.0");
        assertEquals(200, v.at("/qos/minIOPS").asLong());
        assertEquals(15000, v.at("/qos/maxIOPS").asLong(), "missing members come from GetDefaultQoS");
    }

    private void assertQosError(Map<String, Object> qos, String version, String mentions) {
        Rpc.Error e = rpc.version(version).error("CreateVolume",
                Map.of("name", "q", "accountID", account, "totalSize", GB, "qos", qos), "xInvalidParameter");
        assertTrue(e.message().contains(mentions), e.message());
    }

    private JsonNode assertQosOk(Map<String, Object> qos, String version) {
        return rpc.version(version).call("CreateVolume",
                Map.of("name", "q", "accountID", account, "totalSize", GB, "qos", qos)).get("volume");
    }

    @Test
    void defaultQosAndCeilingConfig() throws IOException {
        JsonNode q = rpc.call("GetDefaultQoS");
        assertEquals(50, q.get("minIOPS").asLong(), "8.0+ cluster at an 8.0+ endpoint");
        assertEquals(15000, q.get("maxIOPS").asLong());
        assertEquals(15000, q.get("burstIOPS").asLong());
        try (ElementSimulator small = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).maxIopsCeiling(20000).start()) {
            Rpc r = new Rpc(small);
            long a = r.addAccount("c");
            r.error("CreateVolume", Map.of("name", "q", "accountID", a, "totalSize", GB,
                    "qos", Map.of("minIOPS", 100, "maxIOPS", 20000, "burstIOPS", 20001)), "xInvalidParameter");
            r.call("CreateVolume", Map.of("name", "q", "accountID", a, "totalSize", GB,
                    "qos", Map.of("minIOPS", 100, "maxIOPS", 20000, "burstIOPS", 20000)));
        }
    }

    @Test
    void deleteAndPurge() {
        long id = rpc.createVolume("doomed", account, GB);
        Rpc.Error early = rpc.error("PurgeDeletedVolume", Map.of("volumeID", id), "xVolumeIDDoesNotExist");
        assertTrue(early.message().contains("DeleteVolume"), early.message());
        JsonNode v = rpc.call("DeleteVolume", Map.of("volumeID", id)).get("volume");
        assertEquals("deleted", v.get("status").asText());
        Instant deleted = Instant.parse(v.get("deleteTime").asText());
        assertTrue(Instant.parse(v.get("purgeTime").asText()).isAfter(deleted));
        rpc.error("DeleteVolume", Map.of("volumeID", id), "xVolumeIDDoesNotExist");
        rpc.error("ModifyVolume", Map.of("volumeID", id, "totalSize", 2 * GB), "xVolumeIDDoesNotExist");
        rpc.error("GetVolumeStats", Map.of("volumeID", id), "xVolumeIDDoesNotExist");
        assertTrue(ids(rpc.call("ListDeletedVolumes").get("volumes")).contains(id));
        assertFalse(ids(rpc.call("ListActiveVolumes").get("volumes")).contains(id));
        assertTrue(ids(rpc.call("ListVolumes", Map.of("volumeStatus", "deleted")).get("volumes")).contains(id));
        assertTrue(ids(rpc.call("ListVolumesForAccount", Map.of("accountID", account)).get("volumes")).contains(id));
        assertEquals(Map.of(), Rpc.JSON.convertValue(rpc.call("PurgeDeletedVolume", Map.of("volumeID", id)), Map.class));
        assertFalse(ids(rpc.call("ListDeletedVolumes").get("volumes")).contains(id));
        assertFalse(ids(rpc.call("ListVolumes").get("volumes")).contains(id));
        assertTrue(sim.volume(id).isEmpty());
        rpc.error("PurgeDeletedVolume", Map.of("volumeID", id), "xVolumeIDDoesNotExist");
        rpc.error("DeleteVolume", Map.of("volumeID", 987654), "xVolumeIDDoesNotExist");
    }

    @Test
    void modifyVolume() {
        long id = rpc.createVolume("grow", account, GB);
        JsonNode v = rpc.call("ModifyVolume", Map.of("volumeID", id, "totalSize", 2 * GB)).get("volume");
        assertEquals(2_000_683_008L, v.get("totalSize").asLong()); // 2e9 → 1908 MiB = 2,000,683,008
        Rpc.Error shrink = rpc.error("ModifyVolume", Map.of("volumeID", id, "totalSize", GB), "xVolumeShrinkProhibited");
        assertTrue(shrink.message().contains("" + id));
        assertEquals(2_000_683_008L, sim.volume(id).orElseThrow().totalSize());
        rpc.call("ModifyVolume", Map.of("volumeID", id, "totalSize", 2_000_683_008L)); // same size is fine
        v = rpc.call("ModifyVolume", Map.of("volumeID", id, "qos", Map.of("minIOPS", 500, "maxIOPS", 1000, "burstIOPS", 2000),
                "attributes", Map.of("a", 1))).get("volume");
        assertEquals(500, v.at("/qos/minIOPS").asLong());
        assertEquals(1000, v.at("/qos/maxIOPS").asLong());
        assertEquals(2000, v.at("/qos/burstIOPS").asLong());
        assertEquals(1, v.at("/attributes/a").asInt());
        rpc.error("ModifyVolume", Map.of("volumeID", id, "qos", Map.of("maxIOPS", 3000)), "xInvalidParameter"); // > burst 2000
        v = rpc.call("ModifyVolume", Map.of("volumeID", id, "qos", Map.of("maxIOPS", 1500))).get("volume");
        assertEquals(500, v.at("/qos/minIOPS").asLong(), "unspecified members keep their values");
        assertEquals(1500, v.at("/qos/maxIOPS").asLong());
        rpc.error("ModifyVolume", Map.of("volumeID", id, "attributes", Map.of("k", "v".repeat(1000))), "xInvalidParameter");
        rpc.error("ModifyVolume", Map.of("volumeID", id, "access", "sideways"), "xUnrecognizedEnumString");
        assertEquals("readOnly", rpc.call("ModifyVolume", Map.of("volumeID", id, "access", "readOnly")).at("/volume/access").asText());
        rpc.error("ModifyVolume", Map.of("volumeID", 55555, "totalSize", GB), "xVolumeIDDoesNotExist");
        rpc.error("ModifyVolume", Map.of("totalSize", GB), "xMissingParameter");
    }

    @Test
    void listVolumesFilters() throws IOException {
        try (ElementSimulator s = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).uniqueId("lst").start()) {
            Rpc r = new Rpc(s);
            long a1 = r.addAccount("a1");
            long a2 = r.addAccount("a2");
            long v1 = r.createVolume("v1", a1, GB);
            long v2 = r.createVolume("v2", a2, GB);
            long v3 = r.createVolume("v3", a1, GB);
            long v4 = r.createVolume("v4", a2, GB);
            r.call("DeleteVolume", Map.of("volumeID", v4));
            assertEquals(List.of(v1, v2, v3, v4), ids(r.call("ListVolumes").get("volumes")));
            assertEquals(List.of(v1, v3), ids(r.call("ListVolumes", Map.of("volumeIDs", List.of(v1, v3, 999))).get("volumes")));
            assertEquals(List.of(v2, v4), ids(r.call("ListVolumes", Map.of("accounts", List.of(a2))).get("volumes")));
            assertEquals(List.of(v2, v3), ids(r.call("ListVolumes", Map.of("startVolumeID", v2, "limit", 2)).get("volumes")));
            assertEquals(List.of(v4), ids(r.call("ListVolumes", Map.of("volumeStatus", "deleted")).get("volumes")));
            assertEquals(List.of(v1, v2, v3), ids(r.call("ListVolumes", Map.of("volumeStatus", "active")).get("volumes")));
            assertEquals(List.of(v3), ids(r.call("ListVolumes", Map.of("volumeName", "v3")).get("volumes")));
            r.error("ListVolumes", Map.of("volumeIDs", List.of(v1), "limit", 1), "xInvalidParameter");
            r.error("ListVolumes", Map.of("volumeStatus", "zombie"), "xUnrecognizedEnumString");
            assertEquals(List.of(v1, v2, v3), ids(r.call("ListActiveVolumes").get("volumes")));
            assertEquals(List.of(v2), ids(r.call("ListActiveVolumes", Map.of("startVolumeID", v2, "limit", 1)).get("volumes")));
            assertEquals(List.of(v1, v3), ids(r.call("ListVolumesForAccount", Map.of("accountID", a1)).get("volumes")));
            assertEquals(List.of(v2, v4), ids(r.call("ListVolumesForAccount", Map.of("accountID", a2)).get("volumes")));
            r.error("ListVolumesForAccount", Map.of("accountID", 77), "xAccountIDDoesNotExist");
            assertEquals(List.of(v4), ids(r.call("ListDeletedVolumes").get("volumes")));

            JsonNode stats = r.call("GetVolumeStats", Map.of("volumeID", v1)).get("volumeStats");
            assertEquals(v1, stats.get("volumeID").asLong());
            assertEquals(a1, stats.get("accountID").asLong());
            assertEquals(1_000_341_504L, stats.get("volumeSize").asLong());
            for (String f : List.of("readOps", "writeOps", "readBytes", "writeBytes", "nonZeroBlocks", "zeroBlocks",
                    "unalignedReads", "unalignedWrites", "timestamp", "volumeAccessGroups")) {
                assertTrue(stats.has(f), f);
            }
            r.error("GetVolumeStats", Map.of("volumeID", 4242), "xVolumeIDDoesNotExist");
            assertEquals(List.of(v1, v2, v3), ids(r.call("ListVolumeStatsByVolume").get("volumeStats")));

            JsonNode cap = r.call("GetClusterCapacity").get("clusterCapacity");
            assertEquals(3 * 1_000_341_504L, cap.get("provisionedSpace").asLong());
            assertEquals(200_000, cap.get("maxIOPS").asLong());
            for (String f : List.of("maxProvisionedSpace", "usedSpace", "maxUsedSpace", "maxOverProvisionableSpace", "uniqueBlocks",
                    "uniqueBlocksUsedSpace", "nonZeroBlocks", "zeroBlocks", "currentIOPS", "averageIOPS", "peakIOPS",
                    "activeSessions", "timestamp")) {
                assertTrue(cap.has(f), f);
            }
            JsonNode info = r.call("GetClusterInfo").get("clusterInfo");
            assertEquals("lst", info.get("uniqueID").asText());
            assertEquals("127.0.0.1", info.get("svip").asText());
            assertEquals("127.0.0.1", info.get("mvip").asText());
            for (String f : List.of("name", "uuid", "ensemble", "repCount", "mvipNodeID", "svipNodeID", "encryptionAtRestState", "attributes")) {
                assertTrue(info.has(f), f);
            }
            assertFalse(info.at("/attributes/tgt").asBoolean());
        }
    }

    static List<Long> ids(JsonNode vols) {
        List<Long> out = new java.util.ArrayList<>();
        vols.forEach(v -> out.add(v.get("volumeID").asLong()));
        return out;
    }
}
