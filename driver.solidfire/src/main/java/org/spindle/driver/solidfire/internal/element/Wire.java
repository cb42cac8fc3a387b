package org.spindle.driver.solidfire.internal.element;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.spindle.storage.api.Secret;

import com.fasterxml.jackson.databind.JsonNode;

/** The Element objects the driver reads, parsed from the tree model (unknown members are ignored). */
public final class Wire {
    private Wire() {
    }

    /** QoS in 4 KiB IOPS. */
    public record Qos(long minIOPS, long maxIOPS, long burstIOPS) {
        static Qos from(JsonNode q) {
            return new Qos(q.path("minIOPS").asLong(), q.path("maxIOPS").asLong(), q.path("burstIOPS").asLong());
        }
    }

    /**
     * A volume; {@code status} is "active" or "deleted"; sizes in bytes; {@code scsiNAADeviceID} is the LUN's NAA
     * id in hex as the cluster reports it ("" when it does not).
     */
    public record Volume(long volumeID, String name, long accountID, String status, long totalSize, String iqn,
                         Qos qos, Map<String, String> attributes, List<Long> volumeAccessGroups, String scsiNAADeviceID) {
        public boolean active() {
            return "active".equals(status);
        }

        /** A textual attribute, or null. */
        public String attribute(String key) {
            return attributes.get(key);
        }

        static Volume from(JsonNode v) {
            return new Volume(v.path("volumeID").asLong(), v.path("name").asText(), v.path("accountID").asLong(),
                    v.path("status").asText("active"), v.path("totalSize").asLong(), v.path("iqn").asText(),
                    Qos.from(v.path("qos")), attributesOf(v), longs(v.path("volumeAccessGroups")),
                    v.path("scsiNAADeviceID").asText(""));
        }
    }

    /** An account with its CHAP secrets (kept in {@link Secret}s: {@code toString()} never shows them). */
    public record Account(long accountID, String username, Secret initiatorSecret, Secret targetSecret) {
        static Account from(JsonNode a) {
            return new Account(a.path("accountID").asLong(), a.path("username").asText(),
                    secret(a.path("initiatorSecret").asText("")), secret(a.path("targetSecret").asText("")));
        }

        private static Secret secret(String s) {
            return s.isEmpty() ? null : Secret.of(s);
        }
    }

    /** A volume access group. Initiator IQNs as the cluster stores them (lower case); textual attributes only. */
    public record AccessGroup(long volumeAccessGroupID, String name, List<String> initiators, List<Long> volumes,
                              Map<String, String> attributes) {
        static AccessGroup from(JsonNode g) {
            List<String> initiators = new ArrayList<>();
            g.path("initiators").forEach(i -> initiators.add(i.asText()));
            return new AccessGroup(g.path("volumeAccessGroupID").asLong(), g.path("name").asText(),
                    List.copyOf(initiators), longs(g.path("volumes")), attributesOf(g));
        }
    }

    /**
     * The GetLimits members the driver uses (Element's names); a member the cluster leaves out is 0.
     */
    public record Limits(long volumeAccessGroupsPerVolumeCountMax, long initiatorsPerVolumeAccessGroupCountMax,
                         long volumeMaxIOPSMax, long volumeMaxIOPSMin, long volumeMinIOPSMin, long volumeMinIOPSMax,
                         long volumeSizeMin) {
        static Limits from(JsonNode l) {
            return new Limits(l.path("volumeAccessGroupsPerVolumeCountMax").asLong(),
                    l.path("initiatorsPerVolumeAccessGroupCountMax").asLong(), l.path("volumeMaxIOPSMax").asLong(),
                    l.path("volumeMaxIOPSMin").asLong(), l.path("volumeMinIOPSMin").asLong(),
                    l.path("volumeMinIOPSMax").asLong(), l.path("volumeSizeMin").asLong());
        }
    }

    /** What GetClusterInfo says about the cluster. */
    public record ClusterInfo(String name, String uniqueID, String mvip, String svip) {
        static ClusterInfo from(JsonNode i) {
            return new ClusterInfo(i.path("name").asText(), i.path("uniqueID").asText(), i.path("mvip").asText(),
                    i.path("svip").asText());
        }
    }

    /** GetClusterCapacity, bytes and IOPS. */
    public record Capacity(long maxProvisionedSpace, long provisionedSpace, long usedSpace, long maxIOPS) {
        static Capacity from(JsonNode c) {
            return new Capacity(c.path("maxProvisionedSpace").asLong(), c.path("provisionedSpace").asLong(),
                    c.path("usedSpace").asLong(), c.path("maxIOPS").asLong());
        }
    }

    /** GetVolumeStats: cumulative counters. */
    public record VolumeStats(long volumeID, long readOps, long writeOps, long readBytes, long writeBytes,
                              Instant timestamp) {
        static VolumeStats from(JsonNode s) {
            Instant at;
            try {
                at = Instant.parse(s.path("timestamp").asText());
            } catch (DateTimeParseException e) {
                at = Instant.now();
            }
            return new VolumeStats(s.path("volumeID").asLong(), s.path("readOps").asLong(), s.path("writeOps").asLong(),
                    s.path("readBytes").asLong(), s.path("writeBytes").asLong(), at);
        }
    }

    private static Map<String, String> attributesOf(JsonNode o) {
        Map<String, String> attrs = new LinkedHashMap<>();
        o.path("attributes").properties().forEach(e -> {
            if (e.getValue().isValueNode()) {
                attrs.put(e.getKey(), e.getValue().asText());
            }
        });
        return Map.copyOf(attrs);
    }

    static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return List.copyOf(out);
    }
}
