package org.spindle.solidfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The limits of a simulated cluster, as {@code GetLimits} names them, chosen by the Element version the cluster
 * reports. The 9.x values are the SDK's recorded GetLimits answer of a 9.0 cluster. Later releases changed:
 * <ul>
 * <li>from 11.0, max and burst IOPS go up to 200,000 (the ceiling Cinder's driver clamps to);</li>
 * <li>from 11.3, a volume may be in 64 access groups (9.x: 4) and a group may hold 128 initiators (9.x: 64).</li>
 * </ul>
 * An initiator belongs to one access group at most ({@code volumeAccessGroupsPerInitiatorCountMax} 1): Element
 * answers {@code xExceededLimit} naming the IQN when a second group asks for it (wire reference §1.2).
 *
 * @param clusterVersion the version the cluster reports (GetAPI currentVersion)
 */
record ElementLimits(double clusterVersion, long volumeAccessGroupsPerVolume, long initiatorsPerVolumeAccessGroup,
                     long volumeAccessGroupsPerInitiator, long volumeMaxIops, long volumeMaxIopsMin,
                     long volumeMinIopsMax, long volumeSizeMin, long volumeSizeMax) {
    static final long SIZE_MIN = 1_000_000_000L;
    static final long SIZE_MAX = 8_000_000_491_520L;
    static final long MAX_IOPS_MIN = 100;
    static final long MIN_IOPS_MAX = 15_000;

    /** The limits of a cluster of {@code version}; {@code maxIopsOverride} &gt; 0 replaces the IOPS ceiling. */
    static ElementLimits of(double version, long maxIopsOverride) {
        boolean v113 = version + 1e-9 >= 11.3;
        long maxIops = maxIopsOverride > 0 ? maxIopsOverride : version + 1e-9 >= 11.0 ? 200_000 : 100_000;
        return new ElementLimits(version, v113 ? 64 : 4, v113 ? 128 : 64, 1, maxIops, MAX_IOPS_MIN, MIN_IOPS_MAX,
                SIZE_MIN, SIZE_MAX);
    }

    /** The floor of min IOPS at an endpoint version: 50 from 8.0, 100 before (API semantics, not the cluster's). */
    static long minIopsFloor(double endpointVersion) {
        return endpointVersion + 1e-9 >= 8.0 ? 50 : 100;
    }

    /**
     * GetDefaultQoS' minIOPS when none is configured: Element 8.0+ clusters default to 50, the floor; an endpoint
     * older than 8.0 refuses 50, so it is told (and given) 100.
     */
    long defaultMinIops(double endpointVersion) {
        return Math.max(minIopsFloor(clusterVersion), minIopsFloor(endpointVersion));
    }

    /** GetLimits' result (at an endpoint version, which only changes {@code volumeMinIOPSMin}). */
    ObjectNode json(ObjectMapper json, double endpointVersion) {
        ObjectNode r = json.createObjectNode();
        r.put("accountCountMax", 5000);
        r.put("accountNameLengthMax", 64);
        r.put("accountNameLengthMin", 1);
        r.put("bulkVolumeJobsPerNodeMax", 8);
        r.put("bulkVolumeJobsPerVolumeMax", 2);
        r.put("cloneJobsPerVolumeMax", 2);
        r.put("clusterPairsCountMax", 4);
        r.put("initiatorAliasLengthMax", 224);
        r.put("initiatorCountMax", 0);
        r.put("initiatorNameLengthMax", 224);
        r.put("initiatorsPerVolumeAccessGroupCountMax", initiatorsPerVolumeAccessGroup);
        r.put("iscsiSessionsFromFibreChannelNodesMax", 4096);
        r.put("secretLengthMax", 16);
        r.put("secretLengthMin", 12);
        r.put("snapshotNameLengthMax", 64);
        r.put("snapshotsPerVolumeMax", 32);
        r.put("volumeAccessGroupCountMax", 1000);
        r.put("volumeAccessGroupLunMax", 16383);
        r.put("volumeAccessGroupNameLengthMax", Cluster.MAX_NAME);
        r.put("volumeAccessGroupNameLengthMin", 1);
        r.put("volumeAccessGroupsPerInitiatorCountMax", volumeAccessGroupsPerInitiator);
        r.put("volumeAccessGroupsPerVolumeCountMax", volumeAccessGroupsPerVolume);
        r.put("volumeBurstIOPSMax", volumeMaxIops);
        r.put("volumeBurstIOPSMin", volumeMaxIopsMin);
        r.put("volumeCountMax", 4000);
        r.put("volumeMaxIOPSMax", volumeMaxIops);
        r.put("volumeMaxIOPSMin", volumeMaxIopsMin);
        r.put("volumeMinIOPSMax", volumeMinIopsMax);
        r.put("volumeMinIOPSMin", minIopsFloor(endpointVersion));
        r.put("volumeNameLengthMax", Cluster.MAX_NAME);
        r.put("volumeNameLengthMin", 1);
        r.put("volumeSizeMax", volumeSizeMax);
        r.put("volumeSizeMin", volumeSizeMin);
        r.put("volumesPerAccountCountMax", 2000);
        r.put("volumesPerGroupSnapshotMax", 32);
        r.put("volumesPerVolumeAccessGroupCountMax", 2000);
        return r;
    }
}
