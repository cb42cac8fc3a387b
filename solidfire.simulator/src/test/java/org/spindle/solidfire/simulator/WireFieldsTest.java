package org.spindle.solidfire.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Defaults and reply members as real clusters send them (wire reference §1), not only the ones Spindle reads. */
class WireFieldsTest {
    static final long GB = 1_000_000_000L;
    static ElementSimulator sim;
    static Rpc rpc;
    static long account;

    @BeforeAll
    static void start() throws IOException {
        sim = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).start();
        rpc = new Rpc(sim);
        account = rpc.addAccount("fields");
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void defaultMinIops_is50From8_0_and100Before() throws IOException {
        assertEquals(50, rpc.call("GetDefaultQoS").get("minIOPS").asLong());
        assertEquals(50, rpc.version("8.0").call("GetDefaultQoS").get("minIOPS").asLong());
        assertEquals(100, rpc.version("7.0").call("GetDefaultQoS").get("minIOPS").asLong(), "a 7.x endpoint refuses 50");
        assertEquals(50, rpc.call("CreateVolume", Map.of("name", "d12", "accountID", account, "totalSize", GB))
                .at("/volume/qos/minIOPS").asLong(), "a volume without QoS gets the default");
        assertEquals(100, rpc.version("7.0").call("CreateVolume", Map.of("name", "d7", "accountID", account, "totalSize", GB))
                .at("/volume/qos/minIOPS").asLong());
        try (ElementSimulator nine = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF).apiVersion("9.0").start();
                ElementSimulator configured = ElementSimulator.builder().tgt(ElementSimulator.TgtMode.OFF)
                        .defaultQos(200, 1000, 2000).start()) {
            assertEquals(50, new Rpc(nine).version("9.0").call("GetDefaultQoS").get("minIOPS").asLong());
            JsonNode q = new Rpc(configured).call("GetDefaultQoS");
            assertEquals(List.of(200L, 1000L, 2000L), List.of(q.get("minIOPS").asLong(), q.get("maxIOPS").asLong(),
                    q.get("burstIOPS").asLong()), "a configured default wins");
        }
    }

    @Test
    void volume_carriesTheMembersRealClustersSend() throws IOException {
        JsonNode a = rpc.call("CreateVolume", Map.of("name", "fa", "accountID", account, "totalSize", GB)).get("volume");
        JsonNode b = rpc.call("CreateVolume", Map.of("name", "fb", "accountID", account, "totalSize", GB,
                "fifoSize", 10, "minFifoSize", 2)).get("volume");
        for (String member : List.of("virtualVolumeID", "lastAccessTime", "lastAccessTimeIO")) {
            assertTrue(a.has(member) && a.get(member).isNull(), member + " is sent, null: " + a);
        }
        assertTrue(a.get("enableSnapMirrorReplication").isBoolean() && !a.get("enableSnapMirrorReplication").asBoolean());
        assertEquals(24, a.get("fifoSize").asLong());
        assertEquals(0, a.get("minFifoSize").asLong());
        assertEquals(10, b.get("fifoSize").asLong(), "CreateVolume's fifoSize is kept");
        assertEquals(2, b.get("minFifoSize").asLong());
        UUID group = UUID.fromString(a.get("volumeConsistencyGroupUUID").asText());
        assertNotEquals(group, UUID.fromString(b.get("volumeConsistencyGroupUUID").asText()));
        JsonNode listed = rpc.call("ListVolumes", Map.of("volumeIDs", List.of(a.get("volumeID").asLong()))).at("/volumes/0");
        assertEquals(a, listed, "every reply shows the same volume");
    }

    @Test
    void volumeStats_carryMetadataHostsAndTheLastSample() throws IOException {
        long t0 = System.currentTimeMillis();
        long id = rpc.createVolume("st", account, GB);
        JsonNode s = rpc.call("GetVolumeStats", Map.of("volumeID", id)).get("volumeStats");
        long elapsed = System.currentTimeMillis() - t0;
        assertEquals(1, s.at("/metadataHosts/primary").asLong());
        assertTrue(s.at("/metadataHosts/liveSecondaries").isArray() && s.at("/metadataHosts/deadSecondaries").isArray());
        assertTrue(s.has("desiredMetadataHosts") && s.get("desiredMetadataHosts").isNull());
        for (String member : List.of("readOpsLastSample", "writeOpsLastSample", "readBytesLastSample", "writeBytesLastSample")) {
            assertTrue(s.has(member) && s.get(member).isIntegralNumber(), member + ": " + s);
        }
        // the sample period is measured: a volume younger than one period reports the time since it was made
        long period = s.path("samplePeriodMSec").asLong(-1);
        assertTrue(period >= 0 && period <= elapsed, "samplePeriodMSec " + period + " within the " + elapsed + " ms since create");
        assertEquals(names(s), names(stats(id)), "ListVolumeStatsByVolume sends the same members");
    }

    private static List<String> names(JsonNode o) {
        List<String> names = new java.util.ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode stats(long id) throws IOException {
        for (JsonNode s : rpc.call("ListVolumeStatsByVolume").get("volumeStats")) {
            if (s.get("volumeID").asLong() == id) {
                return s;
            }
        }
        throw new AssertionError("volume " + id + " is not in ListVolumeStatsByVolume");
    }
}
