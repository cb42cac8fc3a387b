package org.spindle.driver.solidfire.internal;

import org.spindle.driver.solidfire.internal.element.ApiVersion;

/**
 * The QoS ranges Element accepts (shared reference §1.4): min, max and burst IOPS are at least {@code floor}
 * (50 from API 8.0, 100 before); min IOPS at most 15,000; max and burst at most {@code maxCeiling}.
 */
record QosLimits(long floor, long minCeiling, long maxCeiling) {
    static final long FLOOR_V8 = 50;
    static final long FLOOR_BEFORE_V8 = 100;

    static QosLimits of(ApiVersion version, long maxCeiling) {
        return new QosLimits(floor(version), ClusterSettings.MIN_IOPS_CEILING, maxCeiling);
    }

    /** The floor of a version; with the version unknown, the stricter one, which every version accepts. */
    static long floor(ApiVersion version) {
        return version != null && version.atLeast(ApiVersion.V8) ? FLOOR_V8 : FLOOR_BEFORE_V8;
    }
}
