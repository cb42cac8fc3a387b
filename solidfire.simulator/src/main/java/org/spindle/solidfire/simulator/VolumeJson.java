package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.spindle.solidfire.simulator.Volumes.Volume;

/** How a simulated volume appears on the wire: the Volume and VolumeStats objects and its iSCSI names. */
final class VolumeJson {
    /** The one simulated node: the primary metadata host of every volume (no secondaries). */
    static final long NODE_ID = 1;
    /** The period a real cluster's {@code *LastSample} counters cover. */
    static final long SAMPLE_PERIOD_MSEC = 500;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final ObjectMapper json;
    private final String uniqueId;
    private final AccessGroups groups;

    VolumeJson(ObjectMapper json, String uniqueId, AccessGroups groups) {
        this.json = json;
        this.uniqueId = uniqueId;
        this.groups = groups;
    }

    String iqn(Volume v) {
        return "iqn.2010-01.com.solidfire:" + uniqueId + "." + v.name.toLowerCase(Locale.ROOT) + "." + v.id;
    }

    /**
     * The volume's NAA id as Element reports it (wire reference §1.5, an observed pattern): {@code 6f47acc100000000},
     * the cluster's unique ID as 4 ASCII bytes in hex, the volumeID in 8 hex digits. 32 hex digits = the 16-byte
     * NAA IEEE Registered Extended designator; unique IDs are 4 characters on Element, so longer ones give their
     * first 4 and shorter ones are padded with zero bytes.
     */
    String naa(Volume v) {
        return "6f47acc100000000" + hexUniqueId() + String.format("%08x", v.id);
    }

    /** The EUI-64-based id Element reports next to the NAA one (same observed pattern). */
    String eui(Volume v) {
        return hexUniqueId() + String.format("%08x", v.id) + "f47acc0100000000";
    }

    private String hexUniqueId() {
        byte[] id = uniqueId.getBytes(StandardCharsets.US_ASCII);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            b.append(String.format("%02x", i < id.length ? id[i] : 0));
        }
        return b.toString();
    }

    ObjectNode volumeJson(Volume v) {
        ObjectNode o = json.createObjectNode();
        o.put("access", v.access);
        o.put("accountID", v.accountId);
        o.set("attributes", v.attributes.deepCopy());
        o.put("blockSize", 4096);
        o.put("createTime", TIME.format(v.createTime));
        o.put("currentProtectionScheme", "doubleHelix");
        o.put("deleteTime", v.deleteTime == null ? "" : TIME.format(v.deleteTime));
        o.put("enable512e", v.enable512e);
        o.put("iqn", iqn(v));
        o.put("enableSnapMirrorReplication", false);
        o.put("fifoSize", v.fifoSize);
        // The simulator sees no I/O (tgt has no per-LUN counters), so every volume reads as never accessed: null.
        o.putNull("lastAccessTime");
        o.putNull("lastAccessTimeIO");
        o.put("minFifoSize", v.minFifoSize);
        o.put("name", v.name);
        o.put("purgeTime", v.purgeTime == null ? "" : TIME.format(v.purgeTime));
        ObjectNode q = o.putObject("qos");
        q.put("burstIOPS", v.burstIops);
        q.put("burstTime", 60);
        q.set("curve", json.valueToTree(Cluster.CURVE));
        q.put("maxIOPS", v.maxIops);
        q.put("minIOPS", v.minIops);
        o.putNull("qosPolicyID");
        o.put("scsiEUIDeviceID", eui(v));
        o.put("scsiNAADeviceID", naa(v));
        o.put("sliceCount", 1);
        o.put("status", v.status);
        o.put("totalSize", v.totalSize);
        o.putNull("virtualVolumeID");
        ArrayNode vagIds = o.putArray("volumeAccessGroups");
        groups.groupsOf(v.id).forEach(vagIds::add);
        o.put("volumeID", v.id);
        o.putArray("volumePairs");
        o.put("volumeConsistencyGroupUUID", v.consistencyGroupUuid);
        o.put("volumeUUID", v.uuid);
        return o;
    }

    /**
     * VolumeStats of a volume whose backing store holds {@code allocated} bytes and whose LUN saw {@code io}, sampled at
     * {@code timestamp}. Every I/O figure is measured ({@link LoopDevices}); what the simulator cannot measure
     * (throttling, burst credit, unaligned requests) it does not do.
     */
    ObjectNode statsJson(Volume v, long allocated, IoSamples.Reading io, String timestamp) {
        LoopDevices.Counters total = io.total();
        LoopDevices.Counters last = io.lastSample();
        ObjectNode s = json.createObjectNode();
        long used = Math.min(allocated, v.totalSize);
        s.put("accountID", v.accountId);
        s.put("actualIOPS", io.actualIops());
        s.put("asyncDelay", (String) null);
        s.put("averageIOPSize", io.averageIoSize());
        s.put("burstIOPSCredit", 0);
        s.put("clientQueueDepth", total.inFlight());
        s.putNull("desiredMetadataHosts");
        s.put("latencyUSec", io.latencyUSec());
        ObjectNode meta = s.putObject("metadataHosts");
        meta.putArray("deadSecondaries");
        meta.putArray("liveSecondaries");
        meta.put("primary", NODE_ID);
        s.put("nonZeroBlocks", used / 4096);
        s.put("readBytes", total.readBytes());
        s.put("readBytesLastSample", last.readBytes());
        s.put("readLatencyUSec", io.readLatencyUSec());
        s.put("readOps", total.readOps());
        s.put("readOpsLastSample", last.readOps());
        s.put("samplePeriodMSec", io.periodMillis());
        s.put("throttle", 0.0);
        s.put("timestamp", timestamp);
        s.put("totalLatencyUSec", io.latencyUSec());
        s.put("unalignedReads", 0);
        s.put("unalignedWrites", 0);
        ArrayNode vagIds = s.putArray("volumeAccessGroups");
        groups.groupsOf(v.id).forEach(vagIds::add);
        s.put("volumeID", v.id);
        s.put("volumeSize", v.totalSize);
        s.put("volumeUtilization", v.minIops == 0 ? 0.0 : (double) io.actualIops() / v.minIops);
        s.put("writeBytes", total.writeBytes());
        s.put("writeBytesLastSample", last.writeBytes());
        s.put("writeLatencyUSec", io.writeLatencyUSec());
        s.put("writeOps", total.writeOps());
        s.put("writeOpsLastSample", last.writeOps());
        s.put("zeroBlocks", Math.max(0, v.totalSize / 4096 - used / 4096));
        return s;
    }
}
