package org.spindle.driver.solidfire.internal;

/**
 * The QoS ranges a cluster accepts: min IOPS in [minFloor, minCeiling], max and burst IOPS in [maxFloor, maxCeiling].
 * The ceiling of max and burst is the cluster's ({@code GetLimits volumeMaxIOPSMax}) unless the configuration sets a
 * lower one ({@code qos.max.iops.ceiling}).
 */
record QosLimits(long minFloor, long minCeiling, long maxFloor, long maxCeiling) {
    static QosLimits of(ClusterLimits l, long configuredCeiling) {
        long ceiling = configuredCeiling > 0 ? Math.min(configuredCeiling, l.maxIopsCeiling()) : l.maxIopsCeiling();
        return new QosLimits(l.minIopsFloor(), l.minIopsCeiling(), l.maxIopsFloor(), ceiling);
    }
}
