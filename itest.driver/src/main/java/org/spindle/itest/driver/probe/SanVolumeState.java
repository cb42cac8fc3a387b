package org.spindle.itest.driver.probe;

import java.util.List;
import java.util.UUID;

import org.spindle.storage.api.qos.StorageQos;

/**
 * One volume on the fake SAN.
 *
 * @param volumeId   the Spindle volume it was created for (the idempotency key)
 * @param sanId      the SAN's own id
 * @param name       the name the core gave it
 * @param tenant     its owner
 * @param sizeBytes  its size
 * @param qos        the QoS in force
 * @param iqn        its target IQN
 * @param initiators initiator addresses granted access now
 */
public record SanVolumeState(UUID volumeId, String sanId, String name, String tenant, long sizeBytes, StorageQos qos,
                             String iqn, List<String> initiators) {
    public SanVolumeState {
        initiators = List.copyOf(initiators);
    }
}
