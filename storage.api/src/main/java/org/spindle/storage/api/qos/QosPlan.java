package org.spindle.storage.api.qos;

import java.util.Objects;

/**
 * The reconciled QoS of one volume: what the SAN enforces, what the hypervisor enforces (already in the
 * form the chosen hypervisor declared it can enforce), and the effective result.
 */
public record QosPlan(StorageQos storage, IoLimits hypervisor, EffectiveQos effective) {
    public QosPlan {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(hypervisor, "hypervisor");
        Objects.requireNonNull(effective, "effective");
    }
}
