package org.spindle.storage.api.driver;

import java.util.Objects;
import java.util.UUID;

/**
 * A SAN volume the core knows about: the Spindle volume UUID and the driver's own id for it
 * ({@code sanId}, opaque to the core; {@code null} if the create's answer was lost and the driver must find it).
 */
public record SanVolumeRef(UUID volumeId, String sanId) {
    public SanVolumeRef {
        Objects.requireNonNull(volumeId, "volumeId");
    }
}
