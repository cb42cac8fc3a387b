package org.spindle.storage.core.internal.qos;

import java.util.ArrayList;
import java.util.List;

import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.Limit;
import org.spindle.storage.api.qos.QosDrift;
import org.spindle.storage.api.qos.QosSide;
import org.spindle.storage.api.qos.StorageQos;

/**
 * Where what a side reports differs from the plan, value by value, named as the shell names them. On the
 * hypervisor side a burst length or a weight the plan leaves unset is the hypervisor's own default and is not
 * compared; every other value must match, unset (0) included.
 */
public final class QosCompare {
    private static final String[] LIMITS = {"read-iops", "write-iops", "total-iops", "read-bps", "write-bps", "total-bps"};

    private QosCompare() {
    }

    /** The storage values that differ ({@code plan} as agreed with the SAN, {@code found} as read back). */
    public static List<QosDrift> storage(StorageQos plan, StorageQos found) {
        List<QosDrift> out = new ArrayList<>();
        add(out, QosSide.STORAGE, "min-iops", plan.minIops(), found.minIops());
        add(out, QosSide.STORAGE, "max-iops", plan.maxIops(), found.maxIops());
        add(out, QosSide.STORAGE, "burst-iops", plan.burstIops(), found.burstIops());
        return out;
    }

    /** The hypervisor values that differ. */
    public static List<QosDrift> hypervisor(IoLimits plan, IoLimits found) {
        List<QosDrift> out = new ArrayList<>();
        Limit[] p = limits(plan);
        Limit[] f = limits(found);
        for (int i = 0; i < LIMITS.length; i++) {
            add(out, QosSide.HYPERVISOR, LIMITS[i], p[i].rate(), f[i].rate());
            add(out, QosSide.HYPERVISOR, LIMITS[i] + "-max", p[i].burst(), f[i].burst());
            if (p[i].burstSeconds() > 0) {
                add(out, QosSide.HYPERVISOR, LIMITS[i] + "-max-length", p[i].burstSeconds(), f[i].burstSeconds());
            }
        }
        if (plan.weight() > 0) {
            add(out, QosSide.HYPERVISOR, "weight", plan.weight(), found.weight());
        }
        return out;
    }

    private static Limit[] limits(IoLimits l) {
        return new Limit[] {l.readIops(), l.writeIops(), l.totalIops(), l.readBps(), l.writeBps(), l.totalBps()};
    }

    private static void add(List<QosDrift> out, QosSide side, String field, long expected, long found) {
        if (expected != found) {
            out.add(new QosDrift(side, field, expected, found));
        }
    }
}
