package org.spindle.driver.solidfire.internal;

import org.spindle.driver.solidfire.internal.element.ApiVersion;
import org.spindle.driver.solidfire.internal.element.Wire;

/**
 * The limits of one cluster the driver respects, from {@code GetLimits} (Element's member names in brackets);
 * a member the cluster does not report, or a cluster without GetLimits, gets the value of its API version:
 *
 * @param accessGroupsPerVolume   groups one volume may be in (volumeAccessGroupsPerVolumeCountMax: 4, 64 from 11.3)
 * @param initiatorsPerGroup      initiators one group may hold (initiatorsPerVolumeAccessGroupCountMax: 64, 128 from 11.3)
 * @param maxIopsCeiling          largest max and burst IOPS (volumeMaxIOPSMax: 100,000, 200,000 from 11.0)
 * @param maxIopsFloor            smallest max and burst IOPS (volumeMaxIOPSMin: 100)
 * @param minIopsFloor            smallest min IOPS (volumeMinIOPSMin: 50 from 8.0, 100 before)
 * @param minIopsCeiling          largest min IOPS (volumeMinIOPSMax: 15,000)
 * @param sizeMin                 smallest volume in bytes (volumeSizeMin: 1,000,000,000)
 * @param source                  where the values come from, for messages ("GetLimits" or "Element API x.y")
 */
record ClusterLimits(long accessGroupsPerVolume, long initiatorsPerGroup, long maxIopsCeiling, long maxIopsFloor,
                     long minIopsFloor, long minIopsCeiling, long sizeMin, String source) {
    static final ApiVersion V11 = new ApiVersion(11, 0);
    static final ApiVersion V11_3 = new ApiVersion(11, 3);
    static final long SIZE_MIN = 1_000_000_000L;
    static final long MAX_IOPS_FLOOR = 100;
    static final long MIN_IOPS_CEILING = 15_000;

    /** What a cluster of {@code version} allows; with the version unknown, what every version accepts. */
    static ClusterLimits of(ApiVersion version) {
        boolean v113 = version != null && version.atLeast(V11_3);
        long ceiling = version != null && version.atLeast(V11) ? 200_000 : 100_000;
        long minFloor = version != null && version.atLeast(ApiVersion.V8) ? 50 : 100;
        return new ClusterLimits(v113 ? 64 : 4, v113 ? 128 : 64, ceiling, MAX_IOPS_FLOOR, minFloor, MIN_IOPS_CEILING,
                SIZE_MIN, version == null ? "every Element version" : "Element API " + version);
    }

    /** GetLimits' answer, each missing member taken from {@link #of(ApiVersion)}. */
    static ClusterLimits of(ApiVersion version, Wire.Limits l) {
        ClusterLimits d = of(version);
        return new ClusterLimits(or(l.volumeAccessGroupsPerVolumeCountMax(), d.accessGroupsPerVolume),
                or(l.initiatorsPerVolumeAccessGroupCountMax(), d.initiatorsPerGroup), or(l.volumeMaxIOPSMax(), d.maxIopsCeiling),
                or(l.volumeMaxIOPSMin(), d.maxIopsFloor), or(l.volumeMinIOPSMin(), d.minIopsFloor),
                or(l.volumeMinIOPSMax(), d.minIopsCeiling), or(l.volumeSizeMin(), d.sizeMin), "GetLimits");
    }

    private static long or(long value, long fallback) {
        return value > 0 ? value : fallback;
    }
}
