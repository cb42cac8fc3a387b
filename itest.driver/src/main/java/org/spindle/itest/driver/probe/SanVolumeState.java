package org.spindle.itest.driver.probe;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.spindle.storage.api.qos.StorageQos;

/**
 * One volume on the fake SAN.
 *
 * @param volumeId  the Spindle volume it was created for (the idempotency key)
 * @param sanId     the SAN's own id
 * @param name      the name the core gave it
 * @param tenant    its owner
 * @param sizeBytes its size
 * @param qos       the QoS in force
 * @param iqn       its target IQN
 * @param deviceId  the LUN's device id the targets carry ({@code naa.6…}, derived from the volume id)
 * @param groups    the host groups granted access now, by name, each with the initiators its latest grant
 *                  gave (sorted by name; each list sorted)
 */
public record SanVolumeState(UUID volumeId, String sanId, String name, String tenant, long sizeBytes, StorageQos qos,
                             String iqn, String deviceId, Map<String, List<String>> groups) {
    public SanVolumeState {
        Objects.requireNonNull(volumeId, "volumeId");
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        groups.forEach((group, initiators) -> sorted.put(group, List.copyOf(new TreeSet<>(initiators))));
        groups = Collections.unmodifiableMap(sorted);
    }

    /** Every initiator that reaches the volume now, over all its groups: sorted, without duplicates. */
    public List<String> initiators() {
        TreeSet<String> all = new TreeSet<>();
        groups.values().forEach(all::addAll);
        return List.copyOf(all);
    }

    /** The same volume with {@code groups} granted. */
    public SanVolumeState withGroups(Map<String, List<String>> newGroups) {
        return new SanVolumeState(volumeId, sanId, name, tenant, sizeBytes, qos, iqn, deviceId, newGroups);
    }

    /** The same volume grown to {@code newSizeBytes}. */
    public SanVolumeState withSize(long newSizeBytes) {
        return new SanVolumeState(volumeId, sanId, name, tenant, newSizeBytes, qos, iqn, deviceId, groups);
    }

    /** The same volume with {@code newQos} in force. */
    public SanVolumeState withQos(StorageQos newQos) {
        return new SanVolumeState(volumeId, sanId, name, tenant, sizeBytes, newQos, iqn, deviceId, groups);
    }
}
