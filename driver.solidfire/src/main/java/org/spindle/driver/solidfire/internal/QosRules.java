package org.spindle.driver.solidfire.internal;

import org.spindle.driver.solidfire.internal.element.Wire;
import org.spindle.storage.api.StorageException;
import org.spindle.storage.api.qos.StorageQos;

/**
 * Turns a volume's storage QoS (0 = not set) into the full Element QoS, and refuses what Element would refuse,
 * before any call. Values the volume sets are sent as they are; the driver fills the others so that the result
 * always satisfies Element ({@code min ≤ max ≤ burst}, each within the cluster's range) — its own filling never
 * makes a request fail:
 * <ul>
 * <li><b>max</b> unset: the pool's default max ({@code qos.default.max.iops}, else GetDefaultQoS), at most the
 *     ceiling, at most the volume's burst, and at least the volume's min;</li>
 * <li><b>min</b> unset: the pool's default min, else GetDefaultQoS, at most the max;</li>
 * <li><b>burst</b> unset: {@code max × burst.factor} (capped at the ceiling, at least max); the pool's
 *     {@code qos.default.burst.iops} instead when the volume sets neither max nor burst.</li>
 * </ul>
 * So a burst-only QoS gets max = min(default max, burst); a min-only one above the default max gets max = min.
 * Only the volume's own values can be refused (a value out of the cluster's range, or min above burst), naming
 * the field.
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
        QosLimits limits = limits(facts);
        long ceiling = limits.maxCeiling();
        long askedMin = requested.minIops();
        long askedMax = requested.maxIops();
        long askedBurst = requested.burstIops();
        if (askedMin > 0) {
            // a guarantee must also fit under the largest max the pool allows
            range("min-iops", askedMin, limits.minFloor(), Math.min(limits.minCeiling(), ceiling), facts);
        }
        long max = askedMax;
        boolean raisedByMin = false;
        if (max == 0) {
            long filled = Math.min(first(defaultMax, cluster.maxIOPS(), ceiling), ceiling);
            if (askedBurst > 0) {
                filled = Math.min(filled, askedBurst);
            }
            max = Math.max(filled, Math.max(askedMin, limits.maxFloor()));
            raisedByMin = askedMin > filled;
        }
        long min = askedMin > 0 ? askedMin : Math.min(first(defaultMin, cluster.minIOPS(), limits.minFloor()), max);
        long burst = askedBurst;
        if (burst == 0) {
            long byFactor = Math.max(max, Math.min(ceiling, Math.round(max * burstFactor)));
            // the pool's default burst goes with its default max; a volume that sets (or raises) its max bursts by the factor
            burst = askedMax == 0 && defaultBurst > 0 && !raisedByMin ? Math.max(max, Math.min(defaultBurst, ceiling)) : byFactor;
        }
        Wire.Qos qos = new Wire.Qos(min, max, burst);
        check(qos, limits, facts);
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

    private static void range(String field, long value, long floor, long ceiling, ClusterFacts facts) {
        range(field, value, floor, ceiling, " on this SolidFire cluster (Element API " + facts.version() + ")");
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
