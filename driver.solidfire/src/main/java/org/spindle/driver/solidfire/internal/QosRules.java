package org.spindle.driver.solidfire.internal;

import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.StorageQos;

/**
 * Turns a volume's storage QoS (0 = not set) into the full Element QoS, and refuses what Element would refuse,
 * before any call. Unset values come from the pool's configured defaults, then the cluster's defaults; an unset
 * burst is {@code max × burst.factor} (capped at the ceiling) unless the pool configures a default burst and
 * the volume did not set its own max.
 */
final class QosRules {
    private final long defaultMin;
    private final long defaultMax;
    private final long defaultBurst;
    private final double burstFactor;
    private final long configuredCeiling;

    QosRules(ClusterSettings s) {
        this.defaultMin = s.defaultMinIops();
        this.defaultMax = s.defaultMaxIops();
        this.defaultBurst = s.defaultBurstIops();
        this.burstFactor = s.burstFactor();
        this.configuredCeiling = s.maxIopsCeiling();
    }

    QosLimits limits(ClusterFacts facts) {
        return QosLimits.of(facts.limits(), configuredCeiling);
    }

    /** The QoS to send for {@code requested}, validated against the limits of the cluster's API version. */
    Wire.Qos resolve(StorageQos requested, ClusterFacts facts) {
        Wire.Qos cluster = facts.clusterDefaults();
        long maxCeiling = limits(facts).maxCeiling();
        long min = first(requested.minIops(), defaultMin, cluster.minIOPS());
        long max = first(requested.maxIops(), defaultMax, cluster.maxIOPS());
        long burst;
        if (requested.burstIops() > 0) {
            burst = requested.burstIops();
        } else if (requested.maxIops() == 0 && defaultBurst > 0) {
            burst = defaultBurst;
        } else {
            burst = Math.max(max, Math.min(maxCeiling, Math.round(max * burstFactor)));
        }
        if (requested.maxIops() == 0 && min > max) {
            // a volume asking only a guarantee above the default cap gets a cap that fits it
            max = min;
            burst = Math.max(burst, Math.max(max, Math.min(maxCeiling, Math.round(max * burstFactor))));
        }
        Wire.Qos qos = new Wire.Qos(min, max, burst);
        check(qos, limits(facts), facts);
        return qos;
    }

    static void check(Wire.Qos q, QosLimits l, ClusterFacts facts) {
        String where = " on this SolidFire cluster (Element API " + facts.version() + ")";
        range("min-iops", q.minIOPS(), l.minFloor(), l.minCeiling(), where);
        range("max-iops", q.maxIOPS(), l.maxFloor(), l.maxCeiling(), where);
        range("burst-iops", q.burstIOPS(), l.maxFloor(), l.maxCeiling(), where);
        if (q.minIOPS() > q.maxIOPS()) {
            throw StorageException.invalid("min-iops", "must not exceed max-iops " + q.maxIOPS() + " (was " + q.minIOPS() + ")");
        }
        if (q.maxIOPS() > q.burstIOPS()) {
            throw StorageException.invalid("burst-iops", "must be at least max-iops " + q.maxIOPS() + " (was "
                    + q.burstIOPS() + ")");
        }
    }

    private static void range(String field, long value, long floor, long ceiling, String where) {
        if (value < floor || value > ceiling) {
            throw StorageException.invalid(field, "must be between " + floor + " and " + ceiling + where
                    + " (was " + value + ")");
        }
    }

    private static long first(long... values) {
        for (long v : values) {
            if (v > 0) {
                return v;
            }
        }
        return 0;
    }
}
