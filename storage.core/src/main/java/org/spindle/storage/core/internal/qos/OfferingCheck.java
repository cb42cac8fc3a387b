package org.spindle.storage.core.internal.qos;

import org.spindle.storage.api.qos.IoLimits;
import org.spindle.storage.api.qos.QosSpec;

/** Checks an offering's QoS on its own, before any pool or hypervisor is known. */
public final class OfferingCheck {
    private OfferingCheck() {
    }

    /**
     * Refuses an offering whose QoS contradicts itself: read/write limits beside a total for the same unit,
     * or hypervisor IOPS limits below the storage guarantee (the VM could never use it).
     */
    public static void check(QosSpec qos) {
        IoLimits limits = qos.limits();
        HypervisorPlacement.checkConsistent(limits);
        long min = qos.storage().minIops();
        long ceiling = limits.totalIops().isSet() ? limits.totalIops().rate()
                : limits.readIops().isSet() && limits.writeIops().isSet() ? limits.readIops().rate() + limits.writeIops().rate() : 0;
        if (min > 0 && ceiling > 0 && ceiling < min) {
            throw Refusals.refused("min-iops", "min-iops " + min + " is above the hypervisor IOPS limit " + ceiling
                    + " of the same offering: the VM could never use the guaranteed IOPS; lower min-iops or raise the IOPS limits");
        }
    }
}
