package org.spindle.driver.solidfire.internal.element;

import java.time.Instant;
import java.time.format.DateTimeParseException;
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
        static Qos from(JsonNode q, String path) {
            return new Qos(Fields.optionalNumber(q, "minIOPS", path, 0), Fields.optionalNumber(q, "maxIOPS", path, 0),
                    Fields.optionalNumber(q, "burstIOPS", path, 0));
        }
    }

    /**
     * The largest volume size believed: 1 PiB, 64 times Element's own ceiling (GetLimits volumeSizeMax, 16 TiB). A
     * larger totalSize is a broken or hostile reply, never stored.
     */
    public static final long MAX_VOLUME_BYTES = 1L << 50;

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

        static Volume from(JsonNode v, String path) {
            long size = Fields.number(v, "totalSize", path, 0);
            if (size > MAX_VOLUME_BYTES) {
                throw new Fields.Malformed(path + ".totalSize: expected at most " + MAX_VOLUME_BYTES + " bytes, got " + size);
            }
            return new Volume(Fields.number(v, "volumeID", path, 1), Fields.text(v, "name", path),
                    Fields.number(v, "accountID", path, 0), Fields.optionalText(v, "status", path, "active"), size,
                    Fields.optionalText(v, "iqn", path, ""), Qos.from(Fields.optionalObject(v, "qos", path), path + ".qos"),
                    attributesOf(v, path), Fields.ids(v, "volumeAccessGroups", path),
                    Fields.optionalText(v, "scsiNAADeviceID", path, ""));
        }
    }

    /** An account with its CHAP secrets (kept in {@link Secret}s: {@code toString()} never shows them). */
    public record Account(long accountID, String username, Secret initiatorSecret, Secret targetSecret) {
        static Account from(JsonNode a, String path) {
            return new Account(Fields.number(a, "accountID", path, 1), Fields.text(a, "username", path),
                    secret(Fields.optionalText(a, "initiatorSecret", path, "")),
                    secret(Fields.optionalText(a, "targetSecret", path, "")));
        }

        private static Secret secret(String s) {
            return s.isEmpty() ? null : Secret.of(s);
        }
    }

    /** A volume access group. Initiator IQNs as the cluster stores them (lower case); textual attributes only. */
    public record AccessGroup(long volumeAccessGroupID, String name, List<String> initiators, List<Long> volumes,
                              Map<String, String> attributes) {
        static AccessGroup from(JsonNode g, String path) {
            return new AccessGroup(Fields.number(g, "volumeAccessGroupID", path, 1), Fields.text(g, "name", path),
                    Fields.texts(g, "initiators", path), Fields.ids(g, "volumes", path), attributesOf(g, path));
        }
    }

    /**
     * The GetLimits members the driver uses (Element's names); a member the cluster leaves out is 0.
     */
    public record Limits(long volumeAccessGroupsPerVolumeCountMax, long initiatorsPerVolumeAccessGroupCountMax,
                         long volumeMaxIOPSMax, long volumeMaxIOPSMin, long volumeMinIOPSMin, long volumeMinIOPSMax,
                         long volumeSizeMin) {
        static Limits from(JsonNode l, String path) {
            return new Limits(Fields.optionalNumber(l, "volumeAccessGroupsPerVolumeCountMax", path, 0),
                    Fields.optionalNumber(l, "initiatorsPerVolumeAccessGroupCountMax", path, 0),
                    Fields.optionalNumber(l, "volumeMaxIOPSMax", path, 0), Fields.optionalNumber(l, "volumeMaxIOPSMin", path, 0),
                    Fields.optionalNumber(l, "volumeMinIOPSMin", path, 0), Fields.optionalNumber(l, "volumeMinIOPSMax", path, 0),
                    Fields.optionalNumber(l, "volumeSizeMin", path, 0));
        }
    }

    /** What GetClusterInfo says about the cluster. */
    public record ClusterInfo(String name, String uniqueID, String mvip, String svip) {
        static ClusterInfo from(JsonNode i, String path) {
            return new ClusterInfo(Fields.optionalText(i, "name", path, ""), Fields.optionalText(i, "uniqueID", path, ""),
                    Fields.optionalText(i, "mvip", path, ""), Fields.optionalText(i, "svip", path, ""));
        }
    }

    /** GetClusterCapacity, bytes and IOPS. */
    public record Capacity(long maxProvisionedSpace, long provisionedSpace, long usedSpace, long maxIOPS) {
        static Capacity from(JsonNode c, String path) {
            return new Capacity(Fields.number(c, "maxProvisionedSpace", path, 0), Fields.number(c, "provisionedSpace", path, 0),
                    Fields.number(c, "usedSpace", path, 0), Fields.number(c, "maxIOPS", path, 0));
        }
    }

    /** GetVolumeStats: cumulative counters. */
    public record VolumeStats(long volumeID, long readOps, long writeOps, long readBytes, long writeBytes,
                              Instant timestamp) {
        static VolumeStats from(JsonNode s, String path) {
            Instant at;
            try {
                at = Instant.parse(Fields.optionalText(s, "timestamp", path, ""));
            } catch (DateTimeParseException e) {
                at = Instant.now();
            }
            return new VolumeStats(Fields.number(s, "volumeID", path, 1), Fields.number(s, "readOps", path, 0),
                    Fields.number(s, "writeOps", path, 0), Fields.number(s, "readBytes", path, 0),
                    Fields.number(s, "writeBytes", path, 0), at);
        }
    }

    private static Map<String, String> attributesOf(JsonNode o, String path) {
        Map<String, String> attrs = new LinkedHashMap<>();
        Fields.optionalObject(o, "attributes", path).properties().forEach(e -> {
            if (e.getValue().isValueNode()) {
                attrs.put(e.getKey(), e.getValue().asText());
            }
        });
        return Map.copyOf(attrs);
    }
}
