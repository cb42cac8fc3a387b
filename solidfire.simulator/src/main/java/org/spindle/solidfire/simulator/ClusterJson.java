package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The wire shapes of GetClusterInfo and GetClusterCapacity (Element 12.3's members, in its order). */
final class ClusterJson {
    private ClusterJson() {
    }

    static ObjectNode info(ObjectMapper json, Cluster c, int lun, boolean tgt) {
        ObjectNode info = json.createObjectNode();
        ObjectNode attrs = info.objectNode();
        attrs.put("simulator", "spindle-solidfire-simulator");
        attrs.put("iscsiLun", lun);
        attrs.put("iscsiPort", 3260);
        attrs.put("tgt", tgt);
        info.set("attributes", attrs);
        info.put("defaultProtectionScheme", "doubleHelix");
        info.putArray("enabledProtectionSchemes").add("doubleHelix");
        info.put("encryptionAtRestState", "disabled");
        info.putArray("ensemble").add(c.svip);
        info.put("mvip", c.mvip);
        info.put("mvipInterface", "team1G");
        info.put("mvipNodeID", 1);
        info.put("mvipVlanTag", "0");
        info.put("name", c.clusterName);
        info.put("repCount", 2);
        info.put("softwareEncryptionAtRestState", "disabled");
        info.putArray("supportedProtectionSchemes").add("doubleHelix");
        info.put("svip", c.svip);
        info.put("svipInterface", "team10G");
        info.put("svipNodeID", 1);
        info.put("svipVlanTag", "0");
        info.put("uniqueID", c.uniqueId);
        info.put("uuid", c.clusterUuid);
        return info;
    }

    /** {@code used}: bytes the volumes' backing files hold (at most their size); {@code provisioned}: active volumes' sizes. */
    static ObjectNode capacity(ObjectMapper json, Cluster c, long provisioned, long used, String now) {
        long nonZeroBlocks = used / 4096;
        ObjectNode o = json.createObjectNode();
        o.put("activeBlockSpace", used);
        o.put("activeSessions", 0);
        o.put("averageIOPS", 0);
        o.put("clusterRecentIOSize", 0);
        o.put("currentIOPS", 0);
        o.put("maxIOPS", c.clusterMaxIops);
        o.put("maxOverProvisionableSpace", c.maxProvisionedSpace * 5);
        o.put("maxProvisionedSpace", c.maxProvisionedSpace);
        o.put("maxUsedMetadataSpace", c.maxProvisionedSpace / 10);
        o.put("maxUsedSpace", c.maxProvisionedSpace);
        o.put("nonZeroBlocks", nonZeroBlocks);
        o.put("peakActiveSessions", 0);
        o.put("peakIOPS", 0);
        o.put("provisionedSpace", provisioned);
        o.put("snapshotNonZeroBlocks", 0);
        o.put("timestamp", now);
        o.put("totalOps", 0);
        o.put("uniqueBlocks", nonZeroBlocks);
        o.put("uniqueBlocksUsedSpace", used);
        o.put("usedMetadataSpace", 0);
        o.put("usedMetadataSpaceInSnapshots", 0);
        o.put("usedSpace", used);
        o.put("zeroBlocks", Math.max(0, provisioned / 4096 - nonZeroBlocks));
        return o;
    }
}
