package org.spindle.storage.api.driver;

import java.util.Objects;
import java.util.UUID;

import org.spindle.storage.api.Target;
import org.spindle.storage.api.qos.StorageQos;

/**
 * A SAN volume as the driver sees it.
 *
 * @param volumeId  the Spindle volume it belongs to
 * @param sanId     the driver's own id (e.g. the SolidFire volumeID)
 * @param sizeBytes its size as the SAN reports it (may be rounded up)
 * @param qos       the QoS in force on the SAN
 * @param target    where hosts find it, without credentials
 */
public record SanVolume(UUID volumeId, String sanId, long sizeBytes, StorageQos qos, Target target) {
    public SanVolume {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(sanId, "sanId");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(target, "target");
        target = target.withoutChap();
    }

    public SanVolumeRef ref() {
        return new SanVolumeRef(volumeId, sanId);
    }
}
